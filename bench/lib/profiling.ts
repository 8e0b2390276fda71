import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * IPC commands that record a V8 CPU profile of this process over one measured run (BENCH_PROFILE=1):
 * `profileStart`, then `profileStop` with a file name, written to `dir`. A profile of the run alone,
 * without start-up, warm-up or the other phases.
 */
export function profilingCommands(dir: string): Record<string, (args: unknown) => unknown> {
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(result))));
  return {
    profileStart: async () => {
      await post('Profiler.enable');
      await post('Profiler.setSamplingInterval', { interval: 200 });
      await post('Profiler.start');
      return true;
    },
    profileStop: async (args) => {
      const { profile } = (await post('Profiler.stop')) as { profile: unknown };
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${String(args).replace(/[^\w.-]+/g, '-')}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      return file;
    },
  };
}
