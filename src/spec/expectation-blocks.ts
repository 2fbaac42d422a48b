// The written spec's expectation blocks, for rules that check every place a key can be written:
// `expect` and each `overrides.<instance>`. Read from the parsed YAML, before normalizing.

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export interface ExpectationBlock {
  path: (string | number)[];
  value: Record<string, unknown>;
}

/** Every expectations block with its path: `expect` and each `overrides.<instance>`. */
export function expectationBlocks(spec: Record<string, unknown>): ExpectationBlock[] {
  const out: ExpectationBlock[] = [];
  if (isRecord(spec.expect)) out.push({ path: ["expect"], value: spec.expect });
  if (isRecord(spec.overrides)) {
    for (const [id, value] of Object.entries(spec.overrides)) {
      if (isRecord(value)) out.push({ path: ["overrides", id], value });
    }
  }
  return out;
}
