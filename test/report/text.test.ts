import { describe, expect, test } from "@jest/globals";
import { stripAnsi } from "../../src/report/ansi.js";
import { capBytes, capMiddle, utf8Length } from "../../src/report/cap.js";
import { codeBlock, mdCell, table } from "../../src/report/markdown.js";
import { escapeData, escapeProperty, workflowCommand } from "../../src/report/workflow-commands.js";
import { xmlAttr, xmlText } from "../../src/report/xml-text.js";

describe("stripAnsi", () => {
  test("removes CSI, OSC and two-character escapes, keeps text", () => {
    expect(
      stripAnsi(
        "\u001b[1;31mred\u001b[0m \u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\ \u001b(Bok \u009b2Kz",
      ),
    ).toBe("red link ok z");
  });
});

describe("xml text", () => {
  test("escapes markup and keeps CR, TAB, LF in attributes", () => {
    expect(xmlText('a<b>&"c"\r\n')).toBe('a&lt;b&gt;&amp;"c"&#13;\n');
    expect(xmlAttr('x"y\tz\n')).toBe("x&quot;y&#9;z&#10;");
  });
});

describe("capMiddle", () => {
  test("keeps head and tail, states the cut, never splits a surrogate pair", () => {
    const text = `${"😀".repeat(50)}${"-".repeat(100)}${"😀".repeat(50)}`;
    const capped = capMiddle(text, 101);
    expect(capped).toMatch(
      /^😀+\n… \[\d+ of 300 characters cut here; head and tail kept\] …\n-*😀+$/u,
    );
    expect(capped).not.toMatch(
      /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/,
    );
    expect(capMiddle("short", 10)).toBe("short");
  });
});

describe("capBytes", () => {
  test("fits the limit in UTF-8 bytes, note included, preferring a line end", () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i} ✓`).join("\n");
    const capped = capBytes(text, 1000, (cut) => `\n[${cut} cut]`);
    expect(utf8Length(capped)).toBeLessThanOrEqual(1000);
    expect(capped).toMatch(/✓\n\n\[\d+ cut\]$/);
    const cut = Number(/\[(\d+) cut\]/.exec(capped)?.[1]);
    expect(capped.length - `\n[${cut} cut]`.length + cut).toBe(text.length);
    expect(capBytes("tiny", 1000, () => "!")).toBe("tiny");
  });
});

describe("markdown", () => {
  test("cells cannot break the table or open HTML", () => {
    expect(mdCell("a|b\n<script>*x*")).toBe("a\\|b &lt;script&gt;\\*x\\*");
    expect(mdCell("  ")).toBe("—");
    expect(table(["A"], [["1"]])).toBe("| A |\n| --- |\n| 1 |");
  });

  test("code blocks use a fence longer than any backtick run inside", () => {
    expect(codeBlock("a ```` b")).toBe("`````\na ```` b\n`````");
    expect(codeBlock("\u001b[31mred\u001b[0m\n")).toBe("```\nred\n```");
  });
});

describe("workflow commands", () => {
  test("escape as @actions/core does", () => {
    expect(escapeData("multi\nline: msg, 100%\r")).toBe("multi%0Aline: msg, 100%25%0D");
    expect(escapeProperty("a,b:c%")).toBe("a%2Cb%3Ac%25");
    // The example from reporting.md §4.5 (checked against @actions/core there).
    expect(
      workflowCommand(
        "error",
        { title: "T:1,2", file: "a,b:c.ts", line: 3 },
        "multi\nline: msg, 100%",
      ),
    ).toBe("::error title=T%3A1%2C2,file=a%2Cb%3Ac.ts,line=3::multi%0Aline: msg, 100%25");
  });

  test("drop empty properties and cannot be split into a second command", () => {
    const line = workflowCommand(
      "warning",
      { file: "x", line: undefined, title: "" },
      "a\n::error::evil",
    );
    expect(line).toBe("::warning file=x::a%0A::error::evil");
    expect(line.split("\n")).toHaveLength(1);
  });
});
