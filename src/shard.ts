// --shard i/n: one CI job's share of the expanded spec files. Every job expands the same patterns
// in the same checkout, sorts the paths the same way (by code unit, never by locale) and takes
// every n-th file starting at the i-th, so the n shares are disjoint, cover every file, and differ
// in size by at most one file. The CI system (a GitHub Actions matrix, GitLab `parallel:`) runs
// the jobs; each writes its own reports.
import { UsageError } from "./errors.js";

export interface Shard {
  /** 1-based, as CI systems number their jobs (GitLab's CI_NODE_INDEX). */
  index: number;
  count: number;
}

/** `label` names the setting in the message: `--shard`, or the Action's `input shard:`. */
export function parseShard(text: string, label = "--shard"): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(
      `${label} ${JSON.stringify(text)} is not a shard; use i/n with 1 ≤ i ≤ n, e.g. 2/4`,
    );
  }
  return { index, count };
}

export function shardFiles(files: readonly string[], shard: Shard): string[] {
  const sorted = [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (sorted.length < shard.count) {
    // An empty share would check nothing, and a job that checked nothing must not pass.
    throw new UsageError(
      `shard ${shard.index}/${shard.count}: only ${sorted.length} spec file${sorted.length === 1 ? "" : "s"} to split; use at most ${sorted.length} shards`,
    );
  }
  return sorted.filter((_, i) => i % shard.count === shard.index - 1);
}
