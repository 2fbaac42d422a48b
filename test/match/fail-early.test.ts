// Failing early on partial output: which patterns a prefix can decide, how the output so far is
// read (whole lines, whole characters, every possible reading), and how the tally keeps a hit
// seen while the task ran: counted at once, never undone by the final record.
import { describe, expect, test } from "@jest/globals";
import { decidableOnAnyPrefix, decidableOnPrefix } from "../../src/match/prefix-rule.js";
import { SpecTally } from "../../src/match/tally.js";
import type { RunningOutput } from "../../src/model.js";
import { decodePartialOutput } from "../../src/tat/partial-output.js";
import { cannotPass } from "../../src/wait/fail-fast.js";
import { observation, specFrom, task } from "./helpers.js";

const b64 = (bytes: string | Uint8Array) => Buffer.from(bytes).toString("base64");
const regex = (source: string) => ({ kind: "regex" as const, source });

describe("the prefix rule", () => {
  test.each([
    ["FATAL", true],
    ["^FATAL", true],
    ["(?m)^panic:", true],
    ["\\bERROR\\b", true],
    ["\\$HOME", true],
    ["[$]", true],
    ["[]$]", true],
    ["cost: \\d+\\$", true],
    ["done$", false],
    ["(?m)^$", false],
    ["error\\z", false],
    ["x\\B", false],
    ["a|b$", false],
    // Quoted text is literal: its `$` is no anchor, its `[` opens no class that hides one.
    ["\\Q$\\E ok", true],
    ["\\Q[\\E ERROR", true],
    ["\\Q[\\E ERROR$", false],
    ["\\Qa\\E$", false],
    ["\\Qopen to the end $", true],
  ])("/%s/ decidable on complete lines: %s", (source, decidable) => {
    expect(decidableOnPrefix(regex(source))).toBe(decidable);
  });

  test("substrings are always decidable, even with a $ in them", () => {
    expect(decidableOnPrefix({ kind: "substring", source: "cost $5" })).toBe(true);
  });

  test("with a last line cut short (TAT's copy of a cut output), \\b reads past the end too", () => {
    expect(decidableOnAnyPrefix(regex("FATAL|panic"))).toBe(true);
    expect(decidableOnAnyPrefix(regex("^\\d+ \\$"))).toBe(true);
    expect(decidableOnAnyPrefix(regex("[\\b$]x"))).toBe(true);
    expect(decidableOnAnyPrefix(regex("\\bERROR\\b"))).toBe(false);
    expect(decidableOnAnyPrefix(regex("(?m)^deploy ok$"))).toBe(false);
    expect(decidableOnAnyPrefix({ kind: "substring", source: "ok$" })).toBe(true);
  });
});

describe("decodePartialOutput", () => {
  test("only complete lines: a line still being written waits", () => {
    expect(decodePartialOutput(b64("step 1\nFATA"))).toEqual({ texts: ["step 1\n"] });
    expect(decodePartialOutput(b64("FATAL"))).toEqual({ undecided: "no complete line yet" });
  });

  test("a cut inside a character neither fails nor shows a broken character", () => {
    const bytes = Buffer.from("ok\nété FATAL\n", "utf8");
    // Cut inside the second é (two bytes): the line is incomplete, so only "ok\n" is judged.
    const cut = bytes.subarray(0, 7);
    expect(decodePartialOutput(b64(cut))).toEqual({ texts: ["ok\n"] });
    expect(decodePartialOutput(b64(bytes))).toEqual({ texts: ["ok\nété FATAL\n"] });
  });

  test("UTF-16 cuts at an aligned line feed, not at a 0x0A byte inside a character", () => {
    // U+0A41 is 41 0A in UTF-16LE: a 0x0A byte that is no line feed.
    const text = Buffer.from("a\n\u0a41b", "utf16le");
    expect(decodePartialOutput(b64(text), { encoding: "utf-16le" })).toEqual({ texts: ["a\n"] });
  });

  test("auto reads UTF-16 output so far as UTF-16, to its last aligned line feed", () => {
    // A chunk can end inside a code unit: here in the middle of "y", after "a\r\nERROR\r\nx".
    const bytes = Buffer.from("a\r\nERROR\r\nxy", "utf16le").subarray(0, 23);
    for (const commandType of ["POWERSHELL", "SHELL"]) {
      expect(decodePartialOutput(b64(bytes), { commandType })).toEqual({
        texts: ["a\r\nERROR\r\n"],
      });
    }
    const marked = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("FATAL\n", "utf16le")]);
    expect(decodePartialOutput(b64(marked), { commandType: "BAT" })).toEqual({
      texts: ["FATAL\n"],
    });
  });

  test("output so far with NUL bytes not laid out as UTF-16 stays undecided", () => {
    expect(decodePartialOutput(b64("a\0b\nERR\0OR\n"))).toEqual({
      undecided: expect.stringContaining("NUL bytes"),
    });
  });

  test("when the final output could be read with a fallback encoding, both readings are kept", () => {
    // Valid UTF-8, and valid GB18030 too, reading differently: a BAT command's output is
    // decoded as GB18030 if the rest of it turns out not to be UTF-8.
    const bytes = Buffer.from("中FATAL\n", "utf8");
    const read = decodePartialOutput(b64(bytes), { commandType: "BAT" });
    expect("texts" in read && read.texts).toHaveLength(2);
    expect("texts" in read && read.texts[0]).toBe("中FATAL\n");
    // A SHELL command has no fallback: one reading.
    expect(decodePartialOutput(b64(bytes), { commandType: "SHELL" })).toEqual({
      texts: ["中FATAL\n"],
    });
  });

  test("bytes that are not text stay undecided", () => {
    expect(decodePartialOutput(b64(Buffer.from([0xff, 0x0a])))).toHaveProperty("undecided");
    expect(decodePartialOutput("not base64!")).toHaveProperty("undecided");
  });
});

const EARLY = `expect:
  exitCode: 0
  output:
    matches: deploy ok
    notMatches: [FATAL, "/done$/"]
    failEarly: true
`;

function running(t: { taskId: string; instanceId: string }, texts: string[]): RunningOutput {
  return { ...t, status: "RUNNING", at: "2026-01-01T12:00:05.000Z", texts };
}

describe("SpecTally with failEarly", () => {
  test("a notMatches hit in output so far fails the task at once, for fail-fast", () => {
    const spec = specFrom(EARLY);
    const tally = new SpecTally(spec);
    const t = task({ status: "RUNNING", terminal: false });
    expect(tally.failsEarly(t.instanceId)).toBe(true);
    expect(tally.addRunning(running(t, ["starting\n"]))).toBeUndefined();
    expect(tally.notPassed).toBe(0);
    const found = tally.addRunning(running(t, ["starting\nFATAL: disk full\n"]));
    expect(found).toHaveLength(1);
    expect(found?.[0]).toMatchObject({
      check: "output.notMatches",
      outcome: "fail",
      seenWhileRunningAt: "2026-01-01T12:00:05.000Z",
      message: expect.stringContaining("at line 2 (seen while running, at 2026-01-01T12:00:05"),
      excerpt: expect.stringContaining(">2 | FATAL: disk full"),
    });
    expect(tally.notPassed).toBe(1);
    expect(cannotPass(spec, tally, 2)).toContain(`${t.instanceId} failed`);
    // Found once: not judged again.
    expect(tally.addRunning(running(t, ["FATAL\n"]))).toBeUndefined();
  });

  test("matches, and patterns a prefix cannot decide, wait for the final record", () => {
    const tally = new SpecTally(specFrom(EARLY));
    const t = task({ status: "RUNNING", terminal: false });
    // `/done$/` holds at the end of the text so far, not in the final output: never early.
    expect(tally.addRunning(running(t, ["done\n", "done"]))).toBeUndefined();
    expect(tally.addRunning(running(t, ["no success line yet\n"]))).toBeUndefined();
    expect(tally.notPassed).toBe(0);
  });

  test("a hit must be in every reading of the bytes", () => {
    const tally = new SpecTally(specFrom(EARLY));
    const t = task({ status: "RUNNING", terminal: false });
    expect(tally.addRunning(running(t, ["FATAL\n", "ATAL\n"]))).toBeUndefined();
    expect(tally.addRunning(running(t, ["FATAL\n", "x FATAL\n"]))).toHaveLength(1);
  });

  test("a hit seen while running replaces a reused pass in that task's verdict only", () => {
    // Passing results are one object per check, reused by every task that passes the same way
    // (match/task.ts): an early hit must never rewrite that object for the other tasks.
    const tally = new SpecTally(specFrom(EARLY));
    const before = tally.add(task({ output: "deploy ok\n" }));
    const t = task({ status: "RUNNING", terminal: false });
    expect(tally.addRunning(running(t, ["FATAL: disk full\n"]))).toHaveLength(1);
    // The final record no longer shows the hit (a hostile or inconsistent answer): still failed.
    const hit = tally.add({ ...t, status: "SUCCESS", terminal: true, output: "deploy ok\n" });
    const after = tally.add(task({ output: "deploy ok\n" }));
    expect(hit.outcome).toBe("fail");
    const i = hit.results.findIndex((r) => r.outcome === "fail");
    expect(hit.results[i]?.seenWhileRunningAt).toBe("2026-01-01T12:00:05.000Z");
    expect(before.results[i]).toBe(after.results[i]);
    expect(before.results[i]).toMatchObject({
      outcome: "pass",
      message: 'output does not contain "FATAL"',
    });
    expect(before.results[i]?.seenWhileRunningAt).toBeUndefined();
  });

  test("without failEarly, nothing is judged while running", () => {
    const tally = new SpecTally(specFrom("expect:\n  output:\n    notMatches: FATAL\n"));
    const t = task({ status: "RUNNING", terminal: false });
    expect(tally.failsEarlyAnywhere()).toBe(false);
    expect(tally.addRunning(running(t, ["FATAL\n"]))).toBeUndefined();
  });

  test("an override can ask for it on one instance only", () => {
    const tally = new SpecTally(
      specFrom(
        "expect:\n  output: { notMatches: FATAL }\noverrides:\n  ins-early:\n    output: { notMatches: FATAL, failEarly: true }\n",
      ),
    );
    expect(tally.failsEarlyAnywhere()).toBe(true);
    expect(tally.failsEarly("ins-early")).toBe(true);
    expect(tally.failsEarly("ins-other")).toBe(false);
  });

  test("the final record is judged as always; the hit stays marked, counted once", () => {
    const tally = new SpecTally(specFrom(EARLY));
    const t = task({ output: "deploy ok\nFATAL: disk full\n" });
    tally.addRunning(running(t, ["FATAL: disk full\n"]));
    const verdict = tally.add(t);
    expect(tally.counts).toEqual({ pass: 0, fail: 1, error: 0, skip: 0 });
    const hit = verdict.results.find(
      (r) => r.check === "output.notMatches" && r.outcome !== "pass",
    );
    expect(hit).toMatchObject({
      outcome: "fail",
      actual: "found at line 2",
      seenWhileRunningAt: "2026-01-01T12:00:05.000Z",
      message: expect.stringContaining("seen while running"),
    });
    expect(verdict.results.find((r) => r.check === "output.matches")?.outcome).toBe("pass");
    // A record judged again (e.g. once its full output is known) keeps the hit and one count.
    const again = tally.add({ ...t, output: "deploy ok\n" });
    expect(again.outcome).toBe("fail");
    expect(tally.counts).toEqual({ pass: 0, fail: 1, error: 0, skip: 0 });
  });

  test("a final record that cannot show the hit does not take it back", () => {
    const tally = new SpecTally(specFrom(EARLY));
    const t = task({ output: undefined, outputUndecodable: "output is not valid UTF-8" });
    tally.addRunning(running(t, ["FATAL\n"]));
    const verdict = tally.add(t);
    // The other output checks cannot be verified (error ranks above fail); never a pass.
    expect(verdict.outcome).toBe("error");
    const notMatches = verdict.results.filter((r) => r.check === "output.notMatches");
    expect(notMatches.map((r) => r.outcome)).toEqual(["fail", "error"]);
    expect(notMatches[0]?.seenWhileRunningAt).toBeDefined();
  });

  test("stopped by fail-fast: the running task fails with its finding, the rest are skipped", () => {
    const spec = specFrom(EARLY);
    const tally = new SpecTally(spec);
    const hit = task({ status: "RUNNING", terminal: false, output: undefined });
    const other = task({ status: "RUNNING", terminal: false, output: undefined });
    tally.addRunning(running(hit, ["FATAL\n"]));
    const verdict = tally.verdict(observation([hit, other], { state: "stopped" }));
    expect(verdict.outcome).toBe("fail");
    const [a, b] = verdict.tasks;
    expect(a?.outcome).toBe("fail");
    expect(a?.results.find((r) => r.outcome === "fail")?.message).toContain("seen while running");
    expect(b?.outcome).toBe("skip");
  });
});
