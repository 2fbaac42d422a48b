// The COS endpoint receives credentials: the CLI flag and the Action input take only a plain
// http(s) URL, and a mistyped flag is answered with the right one.
import { describe, expect, test } from "@jest/globals";
import { readInputs } from "../../src/action/inputs.js";
import { type GateArgs, parseCommandLine } from "../../src/cli/args.js";

const gateArgs = (argv: string[]) => parseCommandLine(argv) as GateArgs;

describe("--cos-endpoint", () => {
  test("is passed to the gate, without a trailing slash", () => {
    expect(gateArgs(["s.yml", "--cos-endpoint", "http://127.0.0.1:9000/"]).cosEndpoint).toBe(
      "http://127.0.0.1:9000",
    );
    expect(gateArgs(["s.yml"]).cosEndpoint).toBeUndefined();
  });

  test.each([
    "ftp://cos.example.com",
    "https://user:pw@cos.example.com",
    "https://cos.example.com/?x=1",
    "cos.example.com",
    " ",
  ])("%j is refused, naming the flag", (value) => {
    expect(() => parseCommandLine(["s.yml", "--cos-endpoint", value])).toThrow(/--cos-endpoint/);
  });

  test("a refused endpoint is echoed without its password", () => {
    for (const value of [
      "https://me:pw-SECRET@cos.example.com",
      "ftp://me:pw-SECRET@cos.example.com",
    ]) {
      expect(() => parseCommandLine(["s.yml", "--cos-endpoint", value])).toThrow(
        /\*\*\*@cos\.example\.com/,
      );
      expect(() => parseCommandLine(["s.yml", "--cos-endpoint", value])).not.toThrow(/SECRET/);
    }
  });

  test("a near miss gets a did-you-mean", () => {
    expect(() => parseCommandLine(["s.yml", "--cos-endpiont", "http://x"])).toThrow(
      /did you mean --cos-endpoint\?/,
    );
  });

  test("cannot be given with --replay, which serves its own", () => {
    expect(() =>
      parseCommandLine(["s.yml", "--replay", "r.yml", "--cos-endpoint", "http://127.0.0.1:1"]),
    ).toThrow(/--replay serves its own COS endpoint/);
  });
});

describe("Action input cos-endpoint", () => {
  const env = (extra: Record<string, string>) => ({ INPUT_SPECS: "s.yml", ...extra });

  test("is read into the gate options", () => {
    expect(
      readInputs(env({ "INPUT_COS-ENDPOINT": "https://cos-gw.example.com" })).gate,
    ).toMatchObject({ cosEndpoint: "https://cos-gw.example.com" });
    expect(readInputs(env({})).gate.cosEndpoint).toBeUndefined();
  });

  test("anything but a plain http(s) URL is a usage error naming the input", () => {
    expect(() => readInputs(env({ "INPUT_COS-ENDPOINT": "https://a@b.example.com" }))).toThrow(
      /input cos-endpoint/,
    );
    const withPassword = env({ "INPUT_COS-ENDPOINT": "https://me:pw-SECRET@b.example.com" });
    expect(() => readInputs(withPassword)).toThrow(/input cos-endpoint: "\*\*\*@b\.example\.com"/);
  });
});
