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
import { microPlan, paired } from './lib/micro';

const plan = microPlan(process.argv.slice(2));
const FIXTURES = join(__dirname, 'fixtures');

const fmt = (us: number) => us.toFixed(1).padStart(8);
const pad = (s: string, n: number) => s.padEnd(n);


function main(): void {
  const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml')).sort();
  const fixtures = files.map((file) => ({ file, xml: readFileSync(join(FIXTURES, file), 'utf8').trim() }));
  console.log(`node ${process.version}; ${plan.rounds} paired rounds of ${plan.msPerSide} ms per side\n`);

  console.log('reading each reply: old = fast-xml-parser + validator (the simulator\'s reader), new = saxes + tree builder (the proxy\'s)');
  console.log(`${pad('fixture', 20)}${'bytes'.padStart(7)}${'old µs'.padStart(9)}${'new µs'.padStart(9)}  old/new`);
  for (const { file, xml } of fixtures) {
    if (!isDeepStrictEqual(orderedShape(parseXml(xml)), orderedShape(simulatorParseXml(xml)))) throw new Error(`${file}: the two readers disagree`);
    const r = paired(() => simulatorParseXml(xml), () => parseXml(xml), plan);
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
      const r = paired(() => other.write(xml).close(), () => fast.write(xml).close(), plan);
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
    plan,
  );
  console.log(`${pad('validator / saxes', 27)} ${fmt(r.a)} ${fmt(r.b)}  ${r.ratio.toFixed(2)}×`);
}

main();
