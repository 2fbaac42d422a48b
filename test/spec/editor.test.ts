// The published schema as an editor uses it: yaml-language-server (the server behind VS Code's
// YAML extension and many other editors) runs over stdio, opens specs that carry the schema
// modeline, and the tests read what a person would see: diagnostics, hover text, completions.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import { Ajv } from "ajv";
import { EDITOR_KEYWORDS, specSchema } from "../../src/spec/schema.js";
import { ROOT } from "../helpers/cli.js";
import { fileUri, YamlLanguageServer } from "../helpers/yaml-ls.js";

const schemaFile = join(ROOT, "schema/spec-v1.json");
const validDir = join(ROOT, "test/fixtures/specs/valid");
const modeline = `# yaml-language-server: $schema=${fileUri(schemaFile)}`;
const doc = (...lines: string[]) => [modeline, "version: 1", ...lines, ""].join("\n");

let ls: YamlLanguageServer;
beforeAll(async () => {
  ls = new YamlLanguageServer();
  await ls.start();
});
afterAll(async () => {
  await ls?.stop();
});

const messages = async (name: string, text: string) =>
  (await ls.diagnose(`file:///tat-assert-editor/${name}.yml`, text)).map(
    (d) => `${d.range.start.line}: ${d.message}`,
  );

describe("the spec schema in yaml-language-server", () => {
  test("a misspelt key under expect is named, not hidden behind the mapping's message", async () => {
    expect(
      await messages(
        "exit_code",
        doc("target: { invocationId: inv-b9e9v6wk }", "expect:", "  exit_code: 0"),
      ),
    ).toEqual(["4: Property exit_code is not allowed."]);
    expect(
      await messages(
        "match",
        doc("target: { invocationId: inv-b9e9v6wk }", "expect:", "  output:", "    match: [ok]"),
      ),
    ).toContain("5: Property match is not allowed.");
  });

  test("scalar values still get the format's own words", async () => {
    expect(
      await messages(
        "status",
        doc("target: { invocationId: inv-b9e9v6wk }", "expect:", "  status: SUCESS"),
      ),
    ).toEqual(["4: expected a TAT task status"]);
    expect(
      await messages("inv", doc("target: { invocationId: inv-XYZ }", "expect: { exitCode: 0 }")),
    ).toEqual(["2: expected an invocation id such as inv-b9e9v6wk"]);
  });

  test.each(readdirSync(validDir).filter((f) => f.endsWith(".yml")))(
    "valid fixture %s shows no problem",
    async (name) => {
      const text = readFileSync(join(validDir, name), "utf8");
      const found = await ls.diagnose(fileUri(join(validDir, name)), text);
      // An editor sees `${VAR}` before interpolation: number and boolean fields may flag it
      // (docs/spec.md says so); nothing else may be flagged.
      const lines = text.split("\n");
      const at = (d: (typeof found)[number]) =>
        lines[d.range.start.line]?.slice(d.range.start.character, d.range.end.character) ?? "";
      expect(found.filter((d) => !at(d).includes("${")).map((d) => d.message)).toEqual([]);
    },
  );

  test("hover shows the field's documentation", async () => {
    const uri = "file:///tat-assert-editor/hover.yml";
    await ls.diagnose(
      uri,
      doc("target: { invocationId: inv-b9e9v6wk }", "expect:", "  exitCode: 0"),
    );
    const exitCodeText = specSchema.properties.expect.properties.exitCode.description;
    expect(await ls.hover(uri, 4, 4)).toContain(exitCodeText.slice(0, exitCodeText.indexOf("{")));
    expect(await ls.hover(uri, 2, 2)).toContain("`latest: { commandId, since }`");
  });

  test("an empty spec offers the common shapes as snippets", async () => {
    const uri = "file:///tat-assert-editor/empty.yml";
    await ls.diagnose(uri, `${modeline}\n`);
    const labels = await ls.completion(uri, 1, 0);
    expect(labels).toEqual(
      expect.arrayContaining([
        "tat-assert: gate on an invocation",
        "tat-assert: the newest run of a command",
      ]),
    );
  });
});

describe("the published schema in a strict ajv", () => {
  test("compiles once its annotation keywords are registered, and not before", () => {
    const published = JSON.parse(readFileSync(schemaFile, "utf8"));
    expect(() => new Ajv({ strict: true }).compile(published)).toThrow(/unknown keyword/);
    const ajv = new Ajv({ strict: true, strictRequired: false });
    ajv.addVocabulary([...EDITOR_KEYWORDS]);
    const validate = ajv.compile(published);
    expect(validate({ version: 1, target: { invocationId: "inv-b9e9v6wk" } })).toBe(true);
    expect(
      validate({ version: 1, target: { invocationId: "inv-b9e9v6wk" }, expect: { exit_code: 0 } }),
    ).toBe(false);
  });
});
