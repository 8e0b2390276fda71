/**
 * The bench's figures as one SVG: a bar per figure, with its floor (what the machine's raw relay
 * does, measured in the same run) and its target marked on the same scale. Plain SVG text, no
 * library: the file is committed next to latest.json and shown by the README.
 */

export interface ChartFigure {
  label: string;
  value: number;
  /** The same figure for the raw relay (1 for a ratio to it); absent where no floor applies. */
  floor?: number;
  target: number;
  /** Whether higher is better (throughput), lower (latency, CPU, memory), or only the target will do. */
  better: 'higher' | 'lower' | 'exact';
  unit: string;
}

const ROW_HEIGHT = 34;
const LABEL_WIDTH = 330;
const BAR_WIDTH = 420;
const VALUE_WIDTH = 170;
const TOP = 40;

export function isMet(figure: ChartFigure): boolean {
  if (figure.better === 'exact') return figure.value === figure.target;
  return figure.better === 'higher' ? figure.value >= figure.target : figure.value <= figure.target;
}

export function renderChart(title: string, figures: ChartFigure[]): string {
  const width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
  const height = TOP + figures.length * ROW_HEIGHT + 30;
  const rows = figures.map((figure, i) => row(figure, TOP + i * ROW_HEIGHT));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="8" y="22" font-size="14" font-weight="bold">${escape(title)}</text>`,
    ...rows,
    `<g transform="translate(8 ${height - 12})">`,
    '<rect y="-9" width="12" height="10" fill="#2e7d32"/><text x="16">target met</text>',
    '<rect x="100" y="-9" width="12" height="10" fill="#c62828"/><text x="116">not met</text>',
    '<line x1="200" y1="-10" x2="200" y2="2" stroke="#000" stroke-width="2"/><text x="206">target</text>',
    '<line x1="270" y1="-10" x2="270" y2="2" stroke="#888" stroke-width="2" stroke-dasharray="3 2"/><text x="276">floor (relay or direct client, same run)</text>',
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}

function row(figure: ChartFigure, y: number): string {
  const known = [figure.value, figure.target, figure.floor ?? 0].filter(Number.isFinite);
  const scaleMax = Math.max(...known) * 1.1 || 1;
  const x = (v: number) => LABEL_WIDTH + Math.max(0, Math.min(1, v / scaleMax)) * BAR_WIDTH;
  const barEnd = Number.isFinite(figure.value) ? x(figure.value) : LABEL_WIDTH;
  const mid = y + ROW_HEIGHT / 2;
  const parts = [
    `<text x="8" y="${mid + 4}">${escape(figure.label)}</text>`,
    `<rect x="${LABEL_WIDTH}" y="${mid - 8}" width="${round(barEnd - LABEL_WIDTH)}" height="16" fill="${isMet(figure) ? '#2e7d32' : '#c62828'}"/>`,
    `<line x1="${round(x(figure.target))}" y1="${mid - 12}" x2="${round(x(figure.target))}" y2="${mid + 12}" stroke="#000" stroke-width="2"/>`,
  ];
  if (figure.floor !== undefined && Number.isFinite(figure.floor)) {
    parts.push(`<line x1="${round(x(figure.floor))}" y1="${mid - 12}" x2="${round(x(figure.floor))}" y2="${mid + 12}" stroke="#888" stroke-width="2" stroke-dasharray="3 2"/>`);
  }
  parts.push(`<text x="${LABEL_WIDTH + BAR_WIDTH + 8}" y="${mid + 4}">${escape(`${format(figure.value)}${figure.unit} (${comparison(figure)} ${format(figure.target)}${figure.unit})`)}</text>`);
  return parts.join('');
}

export function comparison(figure: ChartFigure): string {
  return { higher: '≥', lower: '≤', exact: '=' }[figure.better];
}

function format(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 ? String(Math.round(value)) : String(round(value));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
