import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.setup';
import { loadConfig } from './config/config';
import { DEMO_ACCOUNTS } from './simulator/demo-accounts';
import { ImSimulator } from './simulator';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = new Logger('Bootstrap');
  let simulator: ImSimulator | undefined;
  if (!config.upstreamUrl) {
    // No upstream configured: serve against the embedded simulator so the API can be tried at once.
    simulator = await ImSimulator.start({ host: '127.0.0.1', port: 0, accounts: [...DEMO_ACCOUNTS] });
    config.upstreamUrl = simulator.url;
  }
  const app = await createApp(config);
  if (simulator) {
    const accounts = DEMO_ACCOUNTS.map((a) => `${a.address} / ${a.password}`).join(', ');
    logger.warn(`UPSTREAM_URL is unset: using the embedded simulator at ${simulator.url}; demo accounts: ${accounts}`);
    const stopSimulator = simulator;
    process.once('beforeExit', () => void stopSimulator.stop());
  }
  await app.listen({ port: config.port, host: config.host });
  logger.log(`imbridge listening on http://${config.host}:${config.port}`);
}

bootstrap().catch((err: Error) => {
  console.error(`imbridge failed to start: ${err.message}`);
  process.exit(1);
});
