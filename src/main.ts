import 'reflect-metadata';
import { startService } from './app.setup';
import { loadConfig } from './config/config';

async function bootstrap(): Promise<void> {
  const service = await startService(loadConfig());
  const simulator = service.simulator;
  if (simulator) process.once('beforeExit', () => void simulator.stop());
}

bootstrap().catch((err: Error) => {
  console.error(`imbridge failed to start: ${err.message}`);
  process.exit(1);
});
