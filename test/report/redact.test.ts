import { describe, expect, test } from "@jest/globals";
import { createRedactor, redactReport, redactText, secretForms } from "../../src/report/redact.js";
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
    expect(secretForms("abc")).toEqual(["abc"]);
    expect(redactText("abc YWJj", ["abc"])).toBe("*** YWJj");
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
