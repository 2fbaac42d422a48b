// docs/spec.md is the reference users read; the schema is what the loader enforces. This keeps them
// from drifting: every key the schema knows is in the doc's reference table and every key in that
// table exists, the defaults match, and the doc's examples are valid specs.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "@jest/globals";
import { formatIssue } from "../../src/errors.js";
import { DEFAULTS } from "../../src/spec/defaults.js";
import { formatDuration } from "../../src/spec/duration.js";
import { parseSpecs } from "../../src/spec/load.js";
import { specSchema } from "../../src/spec/schema.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const doc = readFileSync(join(root, "docs/spec.md"), "utf8");

type Node = {
  properties?: Record<string, Node>;
  anyOf?: Node[];
  items?: Node;
  doNotSuggest?: boolean;
};

/** Dotted paths of every key a user can write (forbidden keys such as stdout excluded). */
function schemaPaths(): string[] {
  const out = new Set<string>();
  const visit = (node: Node, path: string) => {
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (child.doNotSuggest) continue;
      const p = path ? `${path}.${key}` : key;
      out.add(p);
      visit(child, p);
    }
    for (const branch of node.anyOf ?? []) visit(branch, path);
    if (node.items) visit(node.items, path);
  };
  visit(specSchema as unknown as Node, "");
  return [...out].sort();
}

/** First-column keys of the reference table. */
function documentedPaths(): string[] {
  const section = doc.split("## Reference")[1]?.split("\n## ")[0] ?? "";
  // Cells may be padded (biome formats the table).
  return [...section.matchAll(/^\| `([^`]+)`\s*\|/gm)].map((m) => m[1] ?? "").sort();
}

describe("docs/spec.md", () => {
  test("the reference table lists exactly the keys of the schema", () => {
    expect(documentedPaths()).toEqual(schemaPaths());
  });

  test("the defaults in the table are the ones in src/spec/defaults.ts", () => {
    const row = (key: string) =>
      new RegExp(`^\\| \`${key}\`\\s*\\|[^|]*\\|([^|]*)\\|`, "m").exec(doc)?.[1]?.trim();
    expect(row("wait.timeout")).toBe(`\`${formatDuration(DEFAULTS.wait.timeoutMs)}\``);
    expect(row("wait.minInterval")).toBe(`\`${formatDuration(DEFAULTS.wait.minIntervalMs)}\``);
    expect(row("wait.maxInterval")).toBe(`\`${formatDuration(DEFAULTS.wait.maxIntervalMs)}\``);
    expect(row("wait.notFoundGrace")).toBe(`\`${formatDuration(DEFAULTS.wait.notFoundGraceMs)}\``);
    expect(row("allowNoTasks")).toBe(`\`${DEFAULTS.allowNoTasks}\``);
    expect(row("expect.output.allowTruncated")).toBe(`\`${DEFAULTS.allowTruncated}\``);
    expect(row("expect")).toBe(`\`status: ${DEFAULTS.status.join(", ")}\``);
  });

  test("every YAML example that is a whole spec loads without issues", () => {
    const examples = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)]
      .map((m) => m[1] ?? "")
      .filter((y) => /^version: 1$/m.test(y));
    expect(examples.length).toBeGreaterThan(0);
    for (const yaml of examples) {
      const r = parseSpecs(yaml, "docs/spec.md", { env: { DEPLOY_INVOCATION_ID: "inv-abcd1234" } });
      expect(r.issues.map(formatIssue)).toEqual([]);
    }
  });

  test("the sample issue lines are what the loader prints for that mistake", () => {
    const sample = /```text\n([\s\S]*?)```/.exec(doc)?.[1]?.trim().split("\n") ?? [];
    const yaml = [
      "version: 1",
      "target: { invocationId: inv-abcd1234 }",
      ...Array(10).fill("# …"),
      "expect:",
      "  exitCode: 300",
      "  exit_code: 0",
      "",
    ].join("\n");
    const r = parseSpecs(yaml, "specs/deploy.yml", { env: {} });
    expect(r.issues.map(formatIssue)).toEqual(sample);
  });
});
