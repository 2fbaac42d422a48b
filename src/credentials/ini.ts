// The small INI dialect of the SDKs' credentials file: `[section]`, `key = value`, `#`/`;` comments.

export type IniSections = Map<string, Map<string, string>>;

export type IniResult =
  | { ok: true; sections: IniSections }
  | { ok: false; line: number; message: string };

export function parseIni(text: string): IniResult {
  const sections: IniSections = new Map();
  let current: Map<string, string> | undefined;
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[\s*([^\]]*?)\s*\]$/.exec(line);
    if (header) {
      const name = header[1] ?? "";
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      continue;
    }
    const eq = line.indexOf("=");
    if (eq <= 0) {
      return { ok: false, line: index + 1, message: "expected `[section]` or `key = value`" };
    }
    if (!current) {
      return { ok: false, line: index + 1, message: "a key comes before any `[section]`" };
    }
    current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return { ok: true, sections };
}
