import { describe, expect, test } from "@jest/globals";
import {
  createRedactor,
  liveRedactor,
  redactReport,
  redactText,
  redactValue,
  secretForms,
} from "../../src/report/redact.js";
import { plain } from "../../src/report/sanitize.js";
import { summarizeOutput } from "../../src/wait/output-summary.js";
import { failuresReport } from "./fixtures.js";

const SECRET = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/+key";

describe("redactText", () => {
  test("masks the secret itself, every occurrence", () => {
    expect(redactText(`a ${SECRET} b ${SECRET}`, [SECRET])).toBe("a *** b ***");
  });

  test("masks base64 of the secret at every byte alignment inside longer encoded text", () => {
    for (let prefix = 0; prefix < 6; prefix++) {
      for (let suffix = 0; suffix < 3; suffix++) {
        const plain = `${"p".repeat(prefix)}${SECRET}${"s".repeat(suffix)}`;
        for (const encoded of [
          Buffer.from(plain).toString("base64"),
          Buffer.from(plain).toString("base64url"),
        ]) {
          const masked = redactText(`token=${encoded}`, [SECRET]);
          expect(masked).toContain("***");
          // Only characters that also encode the neighbouring bytes (and padding) may remain.
          const leftover = masked.replace("token=", "").replace("***", "");
          expect(leftover.length).toBeLessThanOrEqual(Math.ceil(((prefix + suffix) * 4) / 3) + 6);
        }
      }
    }
  });

  test("masks percent-encoded forms (upper, lower case, and + for spaces)", () => {
    const secret = "pass word/with&odd=chars";
    const upper = encodeURIComponent(secret);
    for (const form of [upper, upper.toLowerCase(), upper.replace(/%20/g, "+")]) {
      expect(redactText(`https://h/?k=${form}&x=1`, [secret])).toBe("https://h/?k=***&x=1");
    }
  });

  test("ignores empty secrets; short secrets are masked but not their short derived forms", () => {
    expect(redactText("nothing to hide", ["", ""])).toBe("nothing to hide");
    // Its UTF-16 base64 is 8 characters, as long as any derived form that is masked.
    expect(secretForms("abc")).toEqual(["abc", "YQBiAGMA"]);
    expect(redactText("abc YWJj", ["abc"])).toBe("*** YWJj");
  });

  test("base64 wrapped over lines (base64's 76 columns, PEM's 64) is masked across the breaks", () => {
    const file = `[default]\nregion = ap-guangzhou\nsecret_id = AKIDxxxxxxxxxxxxxxxx\nsecret_key = ${SECRET}\n`;
    for (const width of [76, 64]) {
      for (const eol of ["\n", "\r\n"]) {
        const encoded = Buffer.from(file).toString("base64");
        const wrapped = encoded.replace(new RegExp(`(.{${width}})`, "g"), `$1${eol}`);
        const masked = redactText(wrapped, [SECRET]);
        expect(masked).toContain("***");
        const decoded = Buffer.from(masked.replace(/\*\*\*|\s/g, ""), "base64").toString("latin1");
        expect(decoded).not.toContain(SECRET.slice(0, 8));
      }
    }
  });

  test("the secret itself broken over lines is masked", () => {
    const folded = `${SECRET.slice(0, 17)}\n${SECRET.slice(17)}`;
    expect(redactText(`key:\n${folded}\nnext`, [SECRET])).toBe("key:\n***\nnext");
    expect(redactText(`${SECRET.slice(0, 9)}\r${SECRET.slice(9)}`, [SECRET])).toBe("***");
  });

  test("a secret split by an escape sequence is masked as the sinks show it", () => {
    for (const sequence of [
      "\u001b[0m",
      "\u001b[1;31m",
      "\u009b32m",
      "\u001b]0;t\u0007",
      "\u001b(B",
    ]) {
      const hidden = `key ${SECRET.slice(0, 10)}${sequence}${SECRET.slice(10)} \u001b[0mdone`;
      const masked = redactText(hidden, [SECRET]);
      // The sanitiser removes escapes after masking: what a sink prints must not hold the secret.
      expect(plain(masked)).toBe("key *** done");
    }
    // Text without a hidden secret keeps its escapes (the JSON report keeps output as printed).
    expect(redactText(`\u001b[31mred\u001b[0m ${SECRET}`, [SECRET])).toBe(
      "\u001b[31mred\u001b[0m ***",
    );
  });

  test("the end of a secret left at the start of an output's kept tail is masked", () => {
    const lines = `${"y".repeat(1_980)}\n`;
    const tail = summarizeOutput(`export KEY=${SECRET}\n${lines}`).tail ?? "";
    // The last 2,000 characters: the cut fell inside the secret, before any masking.
    expect(tail).toBe(`${SECRET.slice(-18)}\n${lines}`);
    expect(redactText(tail, [SECRET])).toBe(`***\n${lines}`);
    // Only at the start of a text, and only an end of 8 characters or more.
    expect(redactText(`${SECRET.slice(-7)} ok`, [SECRET])).toBe(`${SECRET.slice(-7)} ok`);
    expect(redactText(`${SECRET.slice(-8)} ok`, [SECRET])).toBe("*** ok");
    expect(redactText(`x ${SECRET.slice(-12)}`, [SECRET])).toBe(`x ${SECRET.slice(-12)}`);
  });

  test("a secret split by a hidden character is masked as a reader sees it", () => {
    for (const hidden of ["\u0000", "\u0008", "\u0007", "\u0085", "\u200b", "\u202e", "\ufeff"]) {
      const text = `key ${SECRET.slice(0, 16)}${hidden}${SECRET.slice(16)} done`;
      expect([hidden, redactText(text, [SECRET])]).toEqual([hidden, "key *** done"]);
    }
    // Text without a hidden secret keeps what it holds.
    expect(redactText("tab\u200bbed ok", [SECRET])).toBe("tab\u200bbed ok");
  });

  test("hex, UTF-16 base64 and JSON-escaped forms are masked", () => {
    const secret = 'sk9f"Q2x\\LmN7';
    const hex = Buffer.from(secret).toString("hex");
    const utf16 = Buffer.from(secret, "utf16le").toString("base64");
    for (const form of [hex, hex.toUpperCase(), JSON.stringify(secret).slice(1, -1)]) {
      expect([form, redactText(`x=${form};`, [secret])]).toEqual([form, "x=***;"]);
    }
    // The last base64 characters also hold the bytes after the secret: they are left.
    expect(redactText(`x=${utf16};`, [secret])).toBe("x=***A=;");
  });

  test("a secret set with a trailing newline is masked as the chain uses it, trimmed", () => {
    const set = `${SECRET}\n`;
    expect(redactText(`region: got "${SECRET}\\n"`, [set])).toBe('region: got "***"');
    expect(redactText(`key ${SECRET} end`, [set])).toBe("key *** end");
    // Trimmed to something short, it is ordinary text, not a secret's form.
    expect(redactText("x marks the spot", [" x\n"])).toBe("x marks the spot");
  });

  test("the head of a secret's base64 that TAT's cut leaves across a wrap is masked", () => {
    const encoded = Buffer.from(`apiVersion: v1\nkind: Secret\nkey: ${SECRET}\n`).toString(
      "base64",
    );
    const lines = encoded.match(/.{1,20}/g) ?? [];
    // Cut where the secret's encoding has begun on one line and goes on to the next.
    const text = `${lines.slice(0, 4).join("\n")}\n${(lines[4] ?? "").slice(0, 9)}`;
    const masked = redactText(text, [SECRET]);
    expect(masked.endsWith("***")).toBe(true);
    const left = Buffer.from(masked.replace(/\s|\*/g, ""), "base64").toString("latin1");
    expect(left).not.toContain(SECRET.slice(0, 4));
    // Base64 that only looks alike is left as it is, and so is the same text not at the end.
    const other = Buffer.from("apiVersion: v1\nkind: ConfigMap\nkey: nothing to hide\n").toString(
      "base64",
    );
    const wrapped = (other.match(/.{1,20}/g) ?? []).join("\n");
    expect(redactText(wrapped, [SECRET])).toBe(wrapped);
    expect(redactText(`${text}\ndone`, [SECRET])).toBe(`${text}\ndone`);
  });

  test("a longer secret containing a shorter one is masked whole", () => {
    const redact = createRedactor(["key", "secret-key-material"]);
    expect(redact("x secret-key-material y key")).toBe("x *** y ***");
  });
});

describe("redactReport", () => {
  test("masks every string in the report and leaves the input untouched", () => {
    const report = failuresReport();
    const task = report.specs[0]?.tasks[0];
    if (!task?.results[0]) throw new Error("fixture changed");
    task.observed.outputSummary = summarizeOutput(
      `password=${SECRET}\n${Buffer.from(SECRET).toString("base64")}`,
    );
    task.results[0].excerpt = `> 1 | ${SECRET}`;
    report.errors.push({ kind: "api", message: `refused key ${SECRET}` });
    const before = JSON.stringify(report);
    const redacted = redactReport(report, [SECRET]);
    const text = JSON.stringify(redacted);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(Buffer.from(SECRET).toString("base64").slice(0, 20));
    expect(redacted.errors[0]?.message).toBe("refused key ***");
    expect(JSON.stringify(report)).toBe(before);
    expect(redacted.specs[0]?.tasks[1]).toEqual(report.specs[0]?.tasks[1]);
  });
});

describe("redactValue", () => {
  test("masks keys too: some objects are keyed by what the API sent", () => {
    // statusCounts counts tasks by TaskStatus as TAT sent it (the wire fuzzer's finding).
    const masked = redactValue(
      { statusCounts: { SUCCESS: 2, [SECRET]: 1 } },
      createRedactor([SECRET]),
    );
    expect(masked).toEqual({ statusCounts: { SUCCESS: 2, "***": 1 } });
  });

  test("a field name that is the head of a secret stays: keys are never cut", () => {
    // The rule for the head of a cut secret took the key `fleet` for one when the secret started
    // with "fleet…": the report lost its fleet results and the console reporter failed (exit 5).
    const secret = "fleetSk7f9Qx2secret";
    const value = { fleet: [{ rule: "same" }], status: "ok fleet", statusCounts: { [secret]: 1 } };
    for (const redact of [createRedactor([secret]), liveRedactor([secret])]) {
      expect(redactValue(value, redact)).toEqual({
        fleet: [{ rule: "same" }],
        // A value may be a cut text: its end still follows the head rule.
        status: "ok ***",
        statusCounts: { "***": 1 },
      });
    }
  });
});
