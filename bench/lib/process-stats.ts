import { monitorEventLoopDelay } from 'node:perf_hooks';

/** What a server process reports about itself: its own CPU, memory and event-loop delay. */
export interface ProcessStats {
  /** process.cpuUsage() user + system, µs since start. */
  cpuUs: number;
  rssBytes: number;
  heapUsedBytes: number;
  /** Event-loop delay since the last reset, ms. */
  eventLoop: { p50: number; p99: number; max: number; samples: number };
}

/** Samples event-loop delay every 10 ms (ms-scale resolution is what the ≤ 20 ms target needs). */
export function processStatsCommands(): Record<string, (args: unknown) => unknown> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const stats = (): ProcessStats => {
    const cpu = process.cpuUsage();
    const mem = process.memoryUsage();
    return {
      cpuUs: cpu.user + cpu.system,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      eventLoop: {
        p50: histogram.percentile(50) / 1e6,
        p99: histogram.percentile(99) / 1e6,
        max: histogram.max / 1e6,
        samples: histogram.count,
      },
    };
  };
  return {
    stats,
    resetEventLoop: () => {
      histogram.reset();
      return true;
    },
    /** Full collections (the process runs with --expose-gc), then the figures: for memory measurements. */
    gc: async () => {
      const gc = (globalThis as { gc?: () => void }).gc;
      for (let i = 0; i < 3; i++) {
        gc?.();
        await new Promise((r) => setTimeout(r, 50));
      }
      return stats();
    },
  };
}
