// Peak heap and RSS above a baseline, sampled on a timer while asynchronous work runs. Start it with
// `node --expose-gc` so the baseline is taken after a full collection; without it the baseline
// includes whatever garbage is lying around and the deltas read lower.

export interface MemoryPeak {
  heapPeakDeltaBytes: number;
  rssPeakDeltaBytes: number;
}

export interface MemorySampler {
  stop(): MemoryPeak;
}

export function sampleMemory(everyMs = 5): MemorySampler {
  globalThis.gc?.();
  const base = process.memoryUsage();
  let heap = base.heapUsed;
  let rss = base.rss;
  const sample = () => {
    const now = process.memoryUsage();
    heap = Math.max(heap, now.heapUsed);
    rss = Math.max(rss, now.rss);
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { heapPeakDeltaBytes: heap - base.heapUsed, rssPeakDeltaBytes: rss - base.rss };
    },
  };
}

/** Whether `--expose-gc` is on, for a note under the figures. */
export const gcExposed = (): boolean => typeof globalThis.gc === "function";
