// Builds the package into dist/: ES module and CommonJS entries for bundlers and Node, declarations
// by tsc, and one minified ES module for browsers with everything in it. Prints the browser bundle's
// size, minified and gzipped.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const entry = join(root, 'src', 'index.ts');
const common = { entryPoints: [entry], bundle: true, target: 'es2022', logLevel: 'warning' };

rmSync(dist, { recursive: true, force: true });
await build({ ...common, outfile: join(dist, 'index.js'), format: 'esm', platform: 'neutral', external: ['openapi-fetch'] });
// openapi-fetch goes inside the CommonJS entry: from a package of type module, esbuild imports a
// CommonJS dependency the way Node does (its whole exports as the default), which is not its function.
await build({ ...common, outfile: join(dist, 'index.cjs'), format: 'cjs', platform: 'node' });
const browser = await build({ ...common, outfile: join(dist, 'imbridge-client.min.js'), format: 'esm', platform: 'browser', minify: true, write: true, metafile: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

const bytes = Object.values(browser.metafile.outputs)[0].bytes;
const gzipped = gzipSync(readFileSync(join(dist, 'imbridge-client.min.js')), { level: 9 }).length;
console.log(`dist/imbridge-client.min.js: ${bytes} B minified, ${gzipped} B gzipped`);
