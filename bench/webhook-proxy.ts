/**
 * The proxy for bench/webhooks.ts, in a process of its own so its memory figures are its own: built
 * by createApp exactly as production, configured from its environment (WEBHOOK_*, UPSTREAM_URL …).
 * The measuring commands (IPC) exist only in this wrapper, never in the service.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app.setup';
import { loadConfig } from '../src/config/config';
import { LinkRegistry } from '../src/link/link-registry.service';
import { WebhookDelivery } from '../src/webhooks/webhook-delivery.service';
import { reportReady, serveIpc } from './lib/child';
import { processStatsCommands } from './lib/process-stats';

async function main(): Promise<void> {
  const app = await createApp({ ...loadConfig(process.env), host: '127.0.0.1', port: 0 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const links = app.get(LinkRegistry);
  const delivery = app.get(WebhookDelivery, { strict: false });
  serveIpc({ ...processStatsCommands(), links: () => links.size, waiting: () => delivery.waiting });
  reportReady((app.getHttpServer().address() as AddressInfo).port);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
