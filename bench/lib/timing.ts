// Small timing helpers on the monotonic clock.
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";

/** Runs `fn` and returns its result with the elapsed milliseconds. */
export function timed<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

/** Milliseconds per call: repeats `fn` until at least `minMs` have passed, so tiny calls read true. */
export function perCall(fn: () => unknown, minMs = 50): number {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return elapsed / calls;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Runs `fn` and returns its result with the elapsed and the CPU milliseconds (user + system of
 * the whole process: on a shared machine, the work's own cost, where wall time counts the wait
 * for a core too). */
export function timedCpu<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = fn();
  const elapsed = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { value, ms: elapsed, cpuMs: (used.user + used.system) / 1000 };
}

/** "load average 1.2 / 0.9 / 0.8 on 2 cores, Node v24.22.3": how busy the machine was while a
 * figure was taken, and which Node took it (V8's tiers differ: Node 20 has no Maglev). */
export function loadText(): string {
  const [a = 0, b = 0, c = 0] = loadavg();
  return `load average ${a.toFixed(1)} / ${b.toFixed(1)} / ${c.toFixed(1)} on ${availableParallelism()} cores, Node ${process.version}`;
}
