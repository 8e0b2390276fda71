import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as ts from 'typescript';

/**
 * Compiles src/ and bench/ to plain JavaScript (per file, as `ts-node --transpile-only` would, without
 * the type check) so the server processes run compiled code on plain `node`, with no loader hook
 * in their path. Returns the output root; the layout under it mirrors the repository.
 */
export function compileForBench(root: string, outDir: string): string {
  const configFile = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.convertCompilerOptionsFromJson(configFile.config.compilerOptions, root);
  const compilerOptions: ts.CompilerOptions = { ...options, sourceMap: false, inlineSourceMap: false, declaration: false, noEmit: false };
  rmSync(outDir, { recursive: true, force: true });
  for (const dir of ['src', 'bench']) {
    for (const file of walk(join(root, dir))) {
      if (!file.endsWith('.ts') || file.endsWith('.spec.ts') || file.endsWith('.d.ts')) continue;
      const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions, fileName: file });
      const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, outputText);
    }
  }
  return outDir;
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'results' || entry.name === 'fixtures') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}
