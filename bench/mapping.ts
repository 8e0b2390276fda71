/**
 * Micro-bench of the mapping behind every history read and every event (figures printed, never
 * asserted):
 *
 *   npx ts-node --transpile-only bench/mapping.ts [rounds=7] [ms per side per round=300]
 *
 * - timestamps: isoTime (src/common/iso-time.ts) against `new Date(ms).toISOString()`, over the
 *   message times of the recorded IMGetChat reply; both must agree, checked first.
 * - history: readGetChatResponse (src/im/chats.ts) of the recorded 20-message IMGetChat reply, parsed
 *   once beforehand: µs per mapping.
 * - the page as JSON: `JSON.stringify` of the history page the route answers with, against a
 *   fast-json-stringify serializer compiled from its schema in openapi/openapi.json (what a Fastify
 *   response schema would use); both outputs are printed if they differ.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { historyPage } from '../src/chats/history-page';
import { isoTime } from '../src/common/iso-time';
import { readGetChatResponse } from '../src/im/chats';
import { readEnvelope } from '../src/soap/envelope';
import { parseXml } from '../src/soap/xml';
import { microPlan, paired, timePerCall } from './lib/micro';

const plan = microPlan(process.argv.slice(2));
const ROOT = join(__dirname, '..');
const fmt = (us: number) => us.toFixed(3).padStart(9);

type Schema = { [key: string]: unknown };

/** The fast-json-stringify that Fastify itself compiles response schemas with (a dependency of Fastify's, not ours). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fastJson = require(require.resolve('fast-json-stringify', { paths: [require.resolve('fastify')] })) as (schema: Schema) => (value: unknown) => string;

/** The schema with every `$ref` to components/schemas replaced by its target (ours are not recursive). */
function inline(schema: unknown, components: Record<string, Schema>): unknown {
  if (Array.isArray(schema)) return schema.map((s) => inline(s, components));
  if (schema === null || typeof schema !== 'object') return schema;
  const ref = (schema as Schema).$ref;
  if (typeof ref === 'string') return inline(components[ref.slice(ref.lastIndexOf('/') + 1)], components);
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, inline(value, components)]));
}

function main(): void {
  const xml = readFileSync(join(ROOT, 'bench', 'fixtures', 'get-chat.xml'), 'utf8');
  const body = readEnvelope(parseXml(xml)).body!;
  const chat = readGetChatResponse(body, 'unused');
  console.log(`node ${process.version}; ${plan.rounds} paired rounds of ${plan.msPerSide} ms per side\n`);

  const times = chat.messages.map((m) => Date.parse(m.sentAt));
  for (const ms of times) if (isoTime(ms) !== new Date(ms).toISOString()) throw new Error(`isoTime(${ms}) differs`);
  const iso = paired(() => times.forEach((ms) => isoTime(ms)), () => times.forEach((ms) => new Date(ms).toISOString()), plan);
  console.log(`timestamps (${times.length}): isoTime ${fmt(iso.a / times.length)} µs each, toISOString ${fmt(iso.b / times.length)} µs each  (${iso.ratio.toFixed(2)}×)`);

  timePerCall(() => readGetChatResponse(body, 'unused'), plan.msPerSide);
  const mapping = Array.from({ length: plan.rounds }, () => timePerCall(() => readGetChatResponse(body, 'unused'), plan.msPerSide)).sort((a, b) => a - b);
  console.log(`history (${chat.messages.length} messages): readGetChatResponse ${fmt(mapping[mapping.length >> 1])} µs (median of ${plan.rounds})`);

  const document = JSON.parse(readFileSync(join(ROOT, 'openapi', 'openapi.json'), 'utf8'));
  const components = document.components.schemas as Record<string, Schema>;
  const stringify = fastJson(inline(document.paths['/v1/chats/{thread}'].get.responses['200'].content['application/json'].schema, components) as Schema);
  const page = { thread: chat.thread, participants: chat.participants, ...historyPage(chat.messages, { limit: 1000 }) };
  const same = isDeepStrictEqual(JSON.parse(stringify(page)), JSON.parse(JSON.stringify(page)));
  const json = paired(() => JSON.stringify(page), () => stringify(page), plan);
  console.log(`the page as JSON: JSON.stringify ${fmt(json.a)} µs, fast-json-stringify ${fmt(json.b)} µs  (${json.ratio.toFixed(2)}×)${same ? '' : '  — outputs differ'}`);
}

main();
