/**
 * The cost of one `request completed` line, as the proxy writes it before and after its logging was
 * made asynchronous: `npx ts-node --transpile-only bench/log-line.ts | cat > /dev/null` (standard
 * output must be a pipe, as under a process manager; the figures go to standard error).
 *   sync + redact  — pino's default synchronous standard output, with the redaction pass
 *   async, plain   — what src/common/request-log.ts does for the request line now
 */
import pino, { Logger } from 'pino';

const LINES = 100_000;
const REDACT = { paths: ['password', 'token', '*.password', '*.token'], censor: '[redacted]' };

function usPerLine(logger: Logger): number {
  const line = () => ({ req: { id: 'abc-123', method: 'GET', url: '/v1/chats/chat-bob%25example.com-0' }, res: { statusCode: 200 }, responseTime: 1.234 });
  for (let i = 0; i < 5_000; i++) logger.info(line(), 'request completed');
  const started = process.hrtime.bigint();
  for (let i = 0; i < LINES; i++) logger.info(line(), 'request completed');
  return Number(process.hrtime.bigint() - started) / 1e3 / LINES;
}

const variants: [string, () => Logger][] = [
  ['sync + redact', () => pino({ level: 'info', redact: REDACT }, pino.destination({ dest: 1, sync: true }))],
  ['async, plain', () => pino({ level: 'info' }, pino.destination({ dest: 1, sync: false }))],
];
// Alternate, three rounds each, so a drift in machine speed falls on both.
const figures = new Map<string, number[]>();
for (let round = 0; round < 3; round++) {
  for (const [name, make] of variants) figures.set(name, [...(figures.get(name) ?? []), usPerLine(make())]);
}
for (const [name, values] of figures) {
  const sorted = [...values].sort((a, b) => a - b);
  process.stderr.write(`${name.padEnd(14)} ${sorted[1].toFixed(2)} µs per line (median of ${values.join(', ').replace(/(\.\d\d)\d+/g, '$1')})\n`);
}
