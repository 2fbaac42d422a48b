// Every default of the spec format, in one place; docs/spec.md lists the same values.

export const DEFAULTS = {
  wait: {
    timeoutMs: 10 * 60_000,
    minIntervalMs: 2_000,
    maxIntervalMs: 30_000,
    notFoundGraceMs: 30_000,
  },
  /** Expected when `expect` gives neither `status` nor `exitCode`: a gate must never pass by default. */
  status: ["SUCCESS"],
  allowNoTasks: false,
  allowTruncated: false,
} as const;
