/** Standalone simulator: `npm run simulator` (PORT, HOST from the environment). */
import { DEMO_ACCOUNTS, ImSimulator } from './index';

export { DEMO_ACCOUNTS } from './demo-accounts';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 7070);
  const host = process.env.HOST ?? '127.0.0.1';
  const sim = await ImSimulator.start({ port, host, accounts: [...DEMO_ACCOUNTS] });
  console.log(`Zimbra IM simulator listening on ${sim.url}`);
  for (const a of DEMO_ACCOUNTS) console.log(`  ${a.address} / ${a.password}`);
  const shutdown = () => void sim.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
