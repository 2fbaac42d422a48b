import { EventEmitter } from "node:events";
import { describe, expect, test } from "@jest/globals";
import { abortOnSignals } from "../../src/cli/signals.js";

function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  let stderr = "";
  const target: {
    on: (event: "SIGINT" | "SIGTERM", listener: (name: NodeJS.Signals) => void) => unknown;
    exit: (code: number) => void;
    stderr: { write: (text: string) => void };
    exitCode?: number;
  } = {
    on: (event: "SIGINT" | "SIGTERM", listener: (name: NodeJS.Signals) => void) =>
      emitter.on(event, listener),
    exit: (code: number) => {
      exits.push(code);
    },
    stderr: {
      write: (text: string) => {
        stderr += text;
      },
    },
  };
  // Node calls a signal listener with the signal's name.
  const send = (name: "SIGINT" | "SIGTERM") => emitter.emit(name, name);
  return { target, send, exits, stderr: () => stderr };
}

describe("abortOnSignals", () => {
  test("nothing happens until a signal arrives", () => {
    const p = fakeProcess();
    const signal = abortOnSignals(p.target);
    expect(signal.aborted).toBe(false);
    expect(p.stderr()).toBe("");
  });

  test.each(["SIGINT", "SIGTERM"] as const)(
    "the first %s aborts, says so, and does not exit",
    (name) => {
      const p = fakeProcess();
      const signal = abortOnSignals(p.target);
      p.send(name);
      expect(signal.aborted).toBe(true);
      expect((signal.reason as Error).message).toBe(`cancelled by ${name}`);
      expect(p.stderr()).toBe(
        `\ntat-assert: ${name} received: stopping the wait and writing reports\n`,
      );
      expect(p.exits).toEqual([]);
    },
  );

  test("a second signal (SIGINT then SIGTERM, as runners send) exits with 3 at once", () => {
    const p = fakeProcess();
    const signal = abortOnSignals(p.target);
    p.send("SIGINT");
    p.send("SIGTERM");
    expect(p.exits).toEqual([3]);
    expect((signal.reason as Error).message).toBe("cancelled by SIGINT");
    expect(p.stderr().match(/received/g)).toHaveLength(1);
  });

  test("every second signal exits 3, whichever pair and however many follow", () => {
    for (const [a, b] of [
      ["SIGINT", "SIGINT"],
      ["SIGTERM", "SIGTERM"],
      ["SIGTERM", "SIGINT"],
    ] as const) {
      const p = fakeProcess();
      abortOnSignals(p.target);
      p.send(a);
      p.send(b);
      p.send(b);
      expect(p.exits).toEqual([3, 3]);
    }
  });

  test("once the verdict is known, any signal leaves at once with the verdict's code, never 130", () => {
    for (const verdict of [0, 1, 5]) {
      const p = fakeProcess();
      const signal = abortOnSignals(p.target);
      p.target.exitCode = verdict;
      p.send("SIGTERM");
      expect(p.exits).toEqual([verdict]);
      expect(signal.aborted).toBe(false);
    }
  });
});

test("the bin installs the handlers before it loads anything else", async () => {
  const { readFile } = await import("node:fs/promises");
  const source = await readFile(new URL("../../src/cli.ts", import.meta.url), "utf8");
  const code = source.split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("//"));
  // The shebang, then the one static import, which installs the handlers; everything else is
  // loaded after it. The Action's entry does the same.
  expect(code[1]).toBe('import { signal } from "./cli/early-signals.js";');
  expect(source.match(/^import /gm)).toHaveLength(1);
  const action = await readFile(new URL("../../src/action.ts", import.meta.url), "utf8");
  expect(action.match(/^import .*$/gm)).toEqual([
    'import { signal } from "./cli/early-signals.js";',
  ]);
  const early = await readFile(new URL("../../src/cli/early-signals.ts", import.meta.url), "utf8");
  expect(early.match(/^import .*$/gm)).toEqual(['import { abortOnSignals } from "./signals.js";']);
  const signalsSource = await readFile(
    new URL("../../src/cli/signals.ts", import.meta.url),
    "utf8",
  );
  expect(signalsSource).not.toMatch(/^import /m);
});
