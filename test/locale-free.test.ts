import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { byCodeUnits, groupDigits } from "../src/locale-free.js";

describe("groupDigits", () => {
  it("groups integers by thousands as en-US prints them", () => {
    for (const n of [0, 7, 999, 1000, 65_535, 100_000, 1_048_576, 268_435_456, 2 ** 53, -1234]) {
      expect(groupDigits(n)).toBe(n.toLocaleString("en-US"));
    }
  });

  it("prints at most three decimals, without trailing zeros", () => {
    expect(groupDigits(1.5)).toBe("1.5");
    expect(groupDigits(1234.56789)).toBe("1,234.568");
    expect(groupDigits(0.0004)).toBe("0");
    expect(groupDigits(-0.0004)).toBe("0");
  });

  it("leaves what is not a plain finite number as String() prints it", () => {
    expect(groupDigits(Number.NaN)).toBe("NaN");
    expect(groupDigits(Number.POSITIVE_INFINITY)).toBe("Infinity");
    expect(groupDigits(1e21)).toBe("1e+21");
  });
});

describe("byCodeUnits", () => {
  it("orders by code units, not by a locale's collation", () => {
    const ids = ["ins-b", "ins-B", "ins-a", "ins-10", "ins-9", "lhins-1"];
    // A collation puts "ins-a" before "ins-B"; code units put every capital first.
    expect([...ids].sort(byCodeUnits)).toEqual([
      "ins-10",
      "ins-9",
      "ins-B",
      "ins-a",
      "ins-b",
      "lhins-1",
    ]);
    expect(byCodeUnits("a", "a")).toBe(0);
  });
});

describe("the sources", () => {
  // localeCompare/toLocaleString/Intl follow the runner's locale and page in ICU data: one of them
  // in the run path undoes both the stable order and the memory saved.
  it("reach ICU nowhere: no localeCompare, toLocaleString or Intl", () => {
    const root = join(import.meta.dirname, "..", "src");
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (name.endsWith(".ts") && name !== "locale-free.ts") {
          const lines = readFileSync(path, "utf8").split("\n");
          lines.forEach((line, i) => {
            if (/\.localeCompare\(|\.toLocale\w*String\(|\bIntl\./.test(line)) {
              offenders.push(`${path}:${i + 1}`);
            }
          });
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
