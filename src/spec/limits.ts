// What one spec may hold. A spec is a few kilobytes written by a person; these bounds are far
// above that, and low enough that a pasted log, a generated 1 MB regex or a runaway template is a
// clear error at its own line instead of minutes of work and a gigabyte of memory. Each is checked
// before the value goes any further (schema, regex compiler, reports). docs/spec.md lists them.
import { groupDigits } from "../locale-free.js";

export const LIMITS = {
  /** Bytes in one spec file, checked before it is read. */
  fileBytes: 1024 * 1024,
  /**
   * Documents (`---`) in one spec file, empty ones too: 110,000 tiny documents fit in 1 MiB and
   * took 6 s and 370 MB to read. The file is read no further than the first one past the bound.
   */
  fileDocuments: 1_000,
  /** Characters in any one value, after `${…}` interpolation. */
  valueLength: 64 * 1024,
  /** Characters in a key (the overrides' instance ids are the only keys users choose). */
  keyLength: 256,
  /** Characters in one output pattern: RE2 compiles a regex into a program about its size. */
  patternLength: 4096,
  /** Items in one list (instances.exactly of a large fleet is the longest a spec needs). */
  listItems: 10_000,
  /** Keys in one mapping (overrides of a large fleet). */
  mappingKeys: 10_000,
  /** Values in one document, counting each use of an alias (the "billion laughs" bound). */
  documentValues: 100_000,
  /** Polling faster than this only spends the API's rate limit (20 requests/s per account). */
  minIntervalMs: 200,
  /** setTimeout's range (2^31 - 1 ms, about 24.8 days): a longer delay would fire at once. */
  timerMs: 2 ** 31 - 1,
} as const;

/** "1,048,576": limits and sizes as people read them. */

const MIB = 1024 * 1024;

/** "1 MiB", "9.5 MiB", or "1,048,577 bytes" when MiB would round it onto the limit. */
export function size(bytes: number): string {
  if (bytes % MIB === 0) return `${bytes / MIB} MiB`;
  return bytes >= 2 * MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${groupDigits(bytes)} bytes`;
}
