/**
 * Micro-bench of the XML readers on the recorded upstream replies (bench/fixtures/*.xml):
 *
 *   npx ts-node --transpile-only bench/xml-parse.ts [rounds=7] [ms per side per round=300]
 *
 * - old: fast-xml-parser with its validator pass first, as the simulator still reads requests
 *   (src/simulator/xml-reader.ts); new: saxes with the proxy's tree builder (src/soap/xml.ts).
 *   Paired rounds (who goes first alternates); the median of each side's µs per parse, and the
 *   median of the per-round ratios old/new. Both must give the same tree, checked first.
 * - saxes settings: a bare saxes pass (handlers that do nothing) with each combination of
 *   `xmlns` and `position`, as a ratio to `xmlns: false, position: false`.
 * - stored bodies: the message bodies of the recorded IMGetChat reply that hold markup, checked as
 *   XHTML fragments: by the validator alone (the first step of the old check) and by
 *   wellFormednessProblem (all of the new one).
 *
 * Timing is printed, never asserted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { SaxesParser, type SaxesOptions } from 'saxes';
import { parseXml as simulatorParseXml, validatorProblem } from '../src/simulator/xml-reader';
import { orderedShape } from '../src/soap/testing/tree-shape';
import { child, children, parseXml, text, wellFormednessProblem } from '../src/soap/xml';

const ROUNDS = Number(process.argv[2] ?? 7);
const MS_PER_SIDE = Number(process.argv[3] ?? 300);
const FIXTURES = join(__dirname, 'fixtures');

/** µs per call of `fn` over about `ms` milliseconds (calls in batches, so the clock is read rarely). */
function timePerCall(fn: () => void, ms: number): number {
  let calls = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(ms * 1e6));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 50; i++) fn();
    calls += 50;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / 1e3 / calls;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Paired rounds of `a` against `b`: medians of µs per call, and of the per-round ratios a/b. */
function paired(a: () => void, b: () => void): { a: number; b: number; ratio: number } {
  timePerCall(a, MS_PER_SIDE / 2);
  timePerCall(b, MS_PER_SIDE / 2);
  const as: number[] = [];
  const bs: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let ta: number;
    let tb: number;
    if (round % 2 === 0) {
      ta = timePerCall(a, MS_PER_SIDE);
      tb = timePerCall(b, MS_PER_SIDE);
    } else {
      tb = timePerCall(b, MS_PER_SIDE);
      ta = timePerCall(a, MS_PER_SIDE);
    }
    as.push(ta);
    bs.push(tb);
    ratios.push(ta / tb);
  }
  return { a: median(as), b: median(bs), ratio: median(ratios) };
}

const fmt = (us: number) => us.toFixed(1).padStart(8);
const pad = (s: string, n: number) => s.padEnd(n);


function main(): void {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml')).sort();
  const fixtures = files.map((file) => ({ file, xml: readFileSync(join(FIXTURES, file), 'utf8').trim() }));
  console.log(`node ${process.version}; ${ROUNDS} paired rounds of ${MS_PER_SIDE} ms per side\n`);

  console.log('reading each reply: old = fast-xml-parser + validator (the simulator\'s reader), new = saxes + tree builder (the proxy\'s)');
  console.log(`${pad('fixture', 20)}${'bytes'.padStart(7)}${'old µs'.padStart(9)}${'new µs'.padStart(9)}  old/new`);
  for (const { file, xml } of fixtures) {
    if (!isDeepStrictEqual(orderedShape(parseXml(xml)), orderedShape(simulatorParseXml(xml)))) throw new Error(`${file}: the two readers disagree`);
    const r = paired(() => simulatorParseXml(xml), () => parseXml(xml));
    console.log(`${pad(file, 20)}${String(xml.length).padStart(7)} ${fmt(r.a)} ${fmt(r.b)}  ${r.ratio.toFixed(2)}×`);
  }

  console.log('\nsaxes settings: a bare pass (no-op handlers), µs per parse, and its ratio to { xmlns: false, position: false }');
  const settings: [string, SaxesOptions][] = [
    ['xmlns:false position:false', { xmlns: false, position: false }],
    ['xmlns:false position:true', { xmlns: false, position: true }],
    ['xmlns:true  position:false', { xmlns: true, position: false }],
    ['xmlns:true  position:true', { xmlns: true, position: true }],
  ];
  const bare = (options: SaxesOptions) => {
    const parser = new SaxesParser(options);
    const noop = () => undefined;
    parser.on('opentag', noop);
    parser.on('text', noop);
    parser.on('closetag', noop);
    parser.on('error', (err) => {
      throw err;
    });
    return parser;
  };
  for (const file of ['get-chat.xml', 'noop-message.xml']) {
    const xml = (fixtures.find((f) => f.file === file) as { xml: string }).xml;
    const fast = bare(settings[0][1]);
    for (const [name, options] of settings.slice(1)) {
      const other = bare(options);
      const r = paired(() => other.write(xml).close(), () => fast.write(xml).close());
      console.log(`${pad(file, 20)}${pad(name, 28)}${fmt(r.a)} µs vs ${fmt(r.b)} µs  ${r.ratio.toFixed(2)}×`);
    }
  }

  // readStoredBody parses only bodies that hold `<` or `&`; those with a bare `&` are refused before.
  const chat = fixtures.find((f) => f.file === 'get-chat.xml') as { xml: string };
  const bodies = children(child(child(child(child(parseXml(chat.xml), 'Envelope'), 'Body'), 'IMGetChatResponse'), 'chat'), 'messages')
    .flatMap((messages) => children(messages, 'message'))
    .map((message) => text(child(message, 'body')))
    .filter((body) => body.includes('<'));
  console.log(`\nstored bodies: the ${bodies.length} bodies of get-chat.xml that hold markup, checked as XHTML fragments, µs for all of them`);
  console.log('(old: the validator pass over the body wrapped as before, the first step of the old check; new: wellFormednessProblem, the whole check)');
  const r = paired(
    () => bodies.forEach((b) => validatorProblem(`<body xmlns="http://www.w3.org/1999/xhtml">${b}</body>`)),
    () => bodies.forEach((b) => wellFormednessProblem(`<body>${b}</body>`)),
  );
  console.log(`${pad('validator / saxes', 27)} ${fmt(r.a)} ${fmt(r.b)}  ${r.ratio.toFixed(2)}×`);
}

main();
