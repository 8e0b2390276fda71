import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProblemCode, ProblemException } from '../common/problem';

/** The page, its script and its style sheet, beside this file (nest-cli.json copies them into dist/). */
export const DEMO_PUBLIC_DIR = join(__dirname, 'public');
/** The client SDK's browser bundle, as `npm run build -w client` writes it (from src/demo and from dist/demo alike). */
export const SDK_BUNDLE = join(__dirname, '..', '..', 'client', 'dist', 'imbridge-client.min.js');

export interface DemoAsset {
  body: Buffer;
  contentType: string;
}

export type DemoFile = 'index.html' | 'app.js' | 'app.css';

const CONTENT_TYPES: Readonly<Record<DemoFile, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};
const JAVASCRIPT = 'text/javascript; charset=utf-8';

/**
 * Headers of every demo answer (never of the API's): the page runs only its own script and style
 * sheet, talks only to its own origin (REST and the event stream), and cannot be framed.
 */
export const DEMO_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/**
 * The demo's files, read on first use and kept. The SDK bundle is a build product: while it is
 * missing the page and the bundle answer 503 `demo.UNAVAILABLE` saying how to build it (and it is
 * looked for again on the next request).
 */
export class DemoAssets {
  private readonly files = new Map<string, Buffer>();

  constructor(
    private readonly publicDir = DEMO_PUBLIC_DIR,
    private readonly bundlePath = SDK_BUNDLE,
  ) {}

  file(name: DemoFile): DemoAsset {
    if (name === 'index.html') this.bundle(); // the page is useless without the SDK: say so at once
    return { body: this.read(join(this.publicDir, name)), contentType: CONTENT_TYPES[name] };
  }

  bundle(): DemoAsset {
    try {
      return { body: this.read(this.bundlePath), contentType: JAVASCRIPT };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      throw new ProblemException(
        503,
        ProblemCode.DEMO_UNAVAILABLE,
        'The demo needs the client SDK\'s browser bundle (client/dist/imbridge-client.min.js), which is not built: ' +
          'run `npm run build -w client` (`npm run build`, `npm start` and `npm test` do it first).',
      );
    }
  }

  private read(path: string): Buffer {
    let body = this.files.get(path);
    if (!body) this.files.set(path, (body = readFileSync(path)));
    return body;
  }
}
