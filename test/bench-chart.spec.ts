import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { isMet, renderChart, type ChartFigure } from '../bench/lib/chart';

/** The bench's chart (bench/lib/chart.ts): one bar per figure, coloured by whether its target is met. */
describe('bench chart', () => {
  const figure = fc.record<ChartFigure>({
    label: fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/g, '')),
    value: fc.oneof(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.constant(Number.NaN)),
    floor: fc.option(fc.double({ min: 0, max: 1e6, noNaN: true }), { nil: undefined }),
    target: fc.double({ min: 0.01, max: 1e6, noNaN: true }),
    better: fc.constantFrom('higher' as const, 'lower' as const, 'exact' as const),
    unit: fc.constantFrom('×', ' KiB', ''),
  });

  /** The bars' fills, in order, read with a strict XML parser (so the document is well-formed too). */
  function barFills(svg: string): string[] {
    const fills: string[] = [];
    const parser = new SaxesParser();
    parser.on('error', (err) => {
      throw err;
    });
    parser.on('opentag', (tag) => {
      if (tag.name === 'rect' && tag.attributes.height === '16') fills.push(String(tag.attributes.fill));
    });
    parser.write(svg).close();
    return fills;
  }

  it('any figures make a well-formed SVG with one bar per figure, green exactly when its target is met', () => {
    fc.assert(
      fc.property(fc.array(figure, { maxLength: 12 }), (figures) => {
        const fills = barFills(renderChart('figures & <targets>', figures));
        expect(fills).toEqual(figures.map((f) => (isMet(f) ? '#2e7d32' : '#c62828')));
      }),
    );
  });

  it('a ratio above a "higher is better" target is met; a latency above its "lower" target is not', () => {
    expect(isMet({ label: 'GET', value: 0.45, floor: 1, target: 0.4, better: 'higher', unit: '×' })).toBe(true);
    expect(isMet({ label: 'p99', value: 3.2, floor: 1, target: 3, better: 'lower', unit: '×' })).toBe(false);
    expect(isMet({ label: 'p99', value: Number.NaN, floor: 1, target: 3, better: 'lower', unit: '×' })).toBe(false);
    expect(isMet({ label: 'polls', value: 0, target: 1, better: 'exact', unit: '' })).toBe(false);
  });
});
