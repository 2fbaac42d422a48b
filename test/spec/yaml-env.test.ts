// readYaml hands yaml a plain process.env for the span of a parse (yaml reads LOG_TOKENS once per
// token): what yaml sees must stay what the environment says, and process.env must come back.
import { afterEach, describe, expect, jest, test } from "@jest/globals";
import { readYaml } from "../../src/spec/yaml-source.js";

const text = "version: 1\ntarget: { invocationId: inv-aaaa1111 }\n";
const saved = process.env.LOG_TOKENS;

afterEach(() => {
  if (saved === undefined) delete process.env.LOG_TOKENS;
  else process.env.LOG_TOKENS = saved;
  jest.restoreAllMocks();
});

describe("process.env around a YAML parse", () => {
  test("is the same object afterwards, with the same values", () => {
    const env = process.env;
    const keys = Object.keys(env).sort();
    readYaml(text, "a.yml", {});
    expect(process.env).toBe(env);
    expect(Object.keys(process.env).sort()).toEqual(keys);
  });

  test("yaml still sees LOG_TOKENS when it is set, and not when it is not", () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => {});
    delete process.env.LOG_TOKENS;
    readYaml(text, "a.yml", {});
    expect(log).not.toHaveBeenCalled();
    process.env.LOG_TOKENS = "1";
    readYaml(text, "a.yml", {});
    // yaml prints each token as `| <token>`.
    expect(log.mock.calls.some(([first]) => first === "|")).toBe(true);
  });
});
