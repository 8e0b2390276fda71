/**
 * `npm run cluster`: the simulator, a Redis of its own and three imbridge instances on consecutive
 * ports (PORT, default 3000, and the next two), for a person to try cluster mode: open sockets on one
 * instance, call another, stop one (Ctrl-C ends everything).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEMO_ACCOUNTS } from '../src/simulator/demo-accounts';
import { ImSimulator } from '../src/simulator';
import { ensureBuilt } from '../test/support/cluster';
import { RedisServer } from '../test/support/redis-server';

const INSTANCES = 3;

async function main(): Promise<void> {
  const basePort = Number(process.env.PORT ?? 3000);
  await ensureBuilt();
  const sim = await ImSimulator.start({ host: '127.0.0.1', port: 0, accounts: [...DEMO_ACCOUNTS] });
  const redis = await RedisServer.start({ appendOnly: true });
  const secret = process.env.CLUSTER_SECRET ?? 'a-demo-cluster-secret-do-not-use-in-production';
  const children: ChildProcess[] = [];
  for (let i = 0; i < INSTANCES; i++) {
    const name = `instance-${i + 1}`;
    const child = spawn(process.execPath, [join(__dirname, '..', 'dist', 'main.js')], {
      env: {
        ...process.env,
        PORT: String(basePort + i),
        UPSTREAM_URL: sim.url,
        REDIS_URL: redis.url,
        CLUSTER_SECRET: secret,
        INSTANCE_ID: name,
        LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(child);
    console.log(`${name}: http://127.0.0.1:${basePort + i} (pid ${child.pid})`);
  }
  console.log(`simulator: ${sim.url}; Redis: ${redis.url} (append-only file in ${redis.dir})`);
  console.log(`demo accounts: ${DEMO_ACCOUNTS.map((a) => `${a.address} / ${a.password}`).join(', ')}`);
  console.log('Ctrl-C stops everything; `kill -9 <pid>` one instance to watch another take its links over.');
  const stop = async (): Promise<void> => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once('exit', resolve)))));
    await redis.stop();
    await sim.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: Error) => {
  console.error(`npm run cluster failed: ${err.message}`);
  process.exit(1);
});
