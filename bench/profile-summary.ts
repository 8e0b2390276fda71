/**
 * Summarises a V8 CPU profile (from BENCH_PROFILE=1): self time by function and by package/file,
 * and inclusive time of the functions matching an optional filter.
 *
 *   npx ts-node --transpile-only bench/profile-summary.ts bench/results/profiles/CPU….cpuprofile [top] [filter]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg, filter] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-summary <file.cpuprofile> [top] [filter]');
  process.exit(2);
}
const top = Number(topArg ?? 40);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Shares are of busy time: samples of the idle loop are counted apart.
const isIdle = (id: number) => byId.get(id)?.callFrame.functionName === '(idle)';
const selfUs = new Map<number, number>();
let idleUs = 0;
profile.samples.forEach((id, i) => {
  const us = profile.timeDeltas[i] ?? 0;
  if (isIdle(id)) idleUs += us;
  else selfUs.set(id, (selfUs.get(id) ?? 0) + us);
});
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function where(n: ProfileNode): string {
  const url = n.callFrame.url.replace(/^file:\/\//, '');
  const own = url.search(/\/imbridge-bench\/(src|bench)\//);
  if (own >= 0) return url.slice(url.indexOf('/', own + 1) + 1);
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const src = url.search(/\/(src|bench)\//);
  return src >= 0 ? url.slice(src + 1) : url || '(native)';
}

const fnSelf = new Map<string, number>();
const fileSelf = new Map<string, number>();
for (const [id, us] of selfUs) {
  const n = byId.get(id)!;
  const key = `${n.callFrame.functionName || '(anonymous)'} ${where(n)}:${n.callFrame.lineNumber + 1}`;
  fnSelf.set(key, (fnSelf.get(key) ?? 0) + us);
  fileSelf.set(where(n), (fileSelf.get(where(n)) ?? 0) + us);
}

const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
};
console.log(`busy ${(total / 1e6).toFixed(2)} s of ${((total + idleUs) / 1e6).toFixed(2)} s sampled; shares below are of busy time`);
print('self time by package / file', fileSelf);
print('self time by function', fnSelf);

if (filter) {
  // Inclusive time: a sample counts once for every distinct matching frame on its stack.
  const incl = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    if (isIdle(id)) return;
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)!;
      const key = `${n.callFrame.functionName || '(anonymous)'} ${where(n)}:${n.callFrame.lineNumber + 1}`;
      if (!key.includes(filter) || seen.has(key)) continue;
      seen.add(key);
      incl.set(key, (incl.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  });
  print(`inclusive time of frames matching "${filter}"`, incl);
}
