/**
 * The proxy under test, in a process of its own so its CPU, memory and event-loop figures are its
 * own: built by createApp exactly as production, pointed at the canned upstream. The measuring
 * commands (IPC from the bench) exist only in this wrapper, never in the service.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createApp } from '../src/app.setup';
import { loadConfig } from '../src/config/config';
import { LinkRegistry } from '../src/link/link-registry.service';
import { reportReady, serveIpc } from './lib/child';
import { processStatsCommands } from './lib/process-stats';
import { profilingCommands } from './lib/profiling';

/**
 * BENCH_FREE_PARSE=1, a what-if for the bench only: each distinct upstream reply is parsed once and
 * then served from a memo, so parsing costs next to nothing. Identical replies (the canned GET) then
 * show the most any faster XML parser could give. Patched here, never in src/.
 */
function makeParsingFree(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const xml = require('../src/soap/xml') as { parseXml: (text: string) => unknown };
  const parse = xml.parseXml;
  const memo = new Map<string, unknown>();
  xml.parseXml = (text) => {
    let doc = memo.get(text);
    if (doc === undefined) {
      doc = parse(text);
      if (memo.size < 10_000) memo.set(text, doc);
    }
    return doc;
  };
}

async function main(): Promise<void> {
  if (process.env.BENCH_FREE_PARSE === '1') makeParsingFree();
  // Production defaults: request logs at info (written to this process's output, a file), and the rate
  // limit on, with a budget above what the bench offers from its one address (a tuned run changes both).
  const config = {
    ...loadConfig({ LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info', RATE_LIMIT: process.env.BENCH_RATE_LIMIT ?? '1000000' }),
    host: '127.0.0.1',
    port: 0,
    upstreamUrl: process.env.BENCH_UPSTREAM_URL,
  };
  const app = await createApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const links = app.get(LinkRegistry);
  const profiles = process.env.BENCH_PROFILE_DIR;
  serveIpc({ ...processStatsCommands(), ...(profiles ? profilingCommands(profiles) : {}), links: () => links.size });
  reportReady((app.getHttpServer().address() as AddressInfo).port);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
