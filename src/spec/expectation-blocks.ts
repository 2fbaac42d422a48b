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

/** An output pattern as written: `output.matches` or `output.notMatches` of one block. */
export interface WrittenPattern {
  block: ExpectationBlock;
  key: "matches" | "notMatches";
  /** To the item, or to the key when one pattern is written without a list. */
  path: (string | number)[];
  text: string;
}

/** Every non-empty string among the output patterns of every expectation block. */
export function writtenPatterns(spec: Record<string, unknown>): WrittenPattern[] {
  const out: WrittenPattern[] = [];
  for (const block of expectationBlocks(spec)) {
    const output = block.value.output;
    if (!isRecord(output)) continue;
    for (const key of ["matches", "notMatches"] as const) {
      const list = output[key];
      const items = Array.isArray(list) ? list : [list];
      items.forEach((text, i) => {
        if (typeof text !== "string" || text === "") return;
        out.push({
          block,
          key,
          path: [...block.path, "output", key, ...(Array.isArray(list) ? [i] : [])],
          text,
        });
      });
    }
  }
  return out;
}
