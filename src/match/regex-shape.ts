// What a regex's source says about its matches, read conservatively so the matcher can skip work:
// a pattern that is only literal text (or literal alternatives) is searched without any regex
// engine; the literal every match starts with says where searching can begin; a pattern that can
// never match a line break is located line by line. When in doubt the answer is "unknown", which
// costs speed, never correctness.

export interface RegexShape {
  /** Every match is one of these strings (each alternative is literal text), or undefined. */
  literals?: string[];
  /** Every match starts with one of these (non-empty) strings, or undefined. */
  prefixes?: string[];
  /** No match can contain a line feed. */
  lineConfined: boolean;
  /** `$` without m, or `\z`: true only at the very end of the text. */
  endAnchor: boolean;
  /** Every match ends at the very end of the text (each alternative ends with such an anchor). */
  endsAtEnd?: boolean;
  /** A pattern (same flags) whose matches are this one's read backwards: anchors swapped
   * (`^`↔`$`, `\A`↔`\z`; `\b` is symmetric), each sequence reversed. Set only when every part
   * of the source was understood. */
  reversed?: string;
  /** No `^`, `\A`, `\b` or `\B`: nothing in a match looks at what comes before it, so a match
   * found in a tail of the text (from any position) is a match in the whole text. */
  contextFree?: boolean;
}

const UNKNOWN: RegexShape = { lineConfined: false, endAnchor: true };

interface Item {
  /** The one character this item matches, when it is a literal. */
  char?: string;
  newline: boolean;
  endAnchor: boolean;
  zeroWidth: boolean;
  /** Repeat: "one" (none), "optional" (may be absent), "some" (at least once). */
  repeat: "one" | "optional" | "some";
  /** A group's alternatives. */
  alts?: Item[][];
  /** The item's source as it reads backwards (a group's alternatives reversed, an anchor
   * mirrored), without its quantifier. */
  back: string;
  /** The quantifier as written ("" for none): it applies the same way read backwards. */
  quantifier: string;
}

class Unknown extends Error {}

const SIMPLE_ESCAPES: Record<string, string> = {
  t: "\t",
  n: "\n",
  r: "\r",
  f: "\f",
  v: "\v",
  a: "\x07",
};

class Reader {
  i = 0;
  /** Met `^`, `\A`, `\b` or `\B`. */
  looksAround = false;
  constructor(
    readonly src: string,
    readonly dotAll: boolean,
    readonly multiLine: boolean,
  ) {}

  /** Alternatives of a sequence, up to `)` or the end. */
  alternation(): Item[][] {
    const alts: Item[][] = [[]];
    while (this.i < this.src.length) {
      const c = this.src[this.i] as string;
      if (c === ")") break;
      if (c === "|") {
        this.i++;
        alts.push([]);
        continue;
      }
      const item = this.atom();
      this.quantifier(item);
      (alts[alts.length - 1] as Item[]).push(item);
    }
    return alts;
  }

  atom(): Item {
    const start = this.i;
    const item = this.atomItem();
    // Written the same way backwards unless atomItem said otherwise (a group, an anchor).
    if (item.back === "") item.back = this.src.slice(start, this.i);
    return item;
  }

  private atomItem(): Item {
    const src = this.src;
    const c = src[this.i] as string;
    const plain = (char: string): Item => ({
      char,
      newline: char === "\n",
      endAnchor: false,
      zeroWidth: false,
      repeat: "one",
      back: "",
      quantifier: "",
    });
    const other = (newline: boolean, extra: Partial<Item> = {}): Item => ({
      newline,
      endAnchor: false,
      zeroWidth: false,
      repeat: "one",
      back: "",
      quantifier: "",
      ...extra,
    });
    if (c === "(") {
      this.i++;
      if (src[this.i] === "?") {
        const named = /^\?(P?<[A-Za-z_][A-Za-z0-9_]*>|:)/.exec(src.slice(this.i));
        if (!named) throw new Unknown(); // inline flags change what everything after means
        this.i += named[0].length;
      }
      const alts = this.alternation();
      if (src[this.i] !== ")") throw new Unknown();
      this.i++;
      const items = alts.flat();
      return other(
        items.some((x) => x.newline),
        { endAnchor: items.some((x) => x.endAnchor), back: `(?:${backwards(alts)})`, alts },
      );
    }
    if (c === "[") return this.charClass();
    if (c === ".") {
      this.i++;
      return other(this.dotAll);
    }
    if (c === "^") {
      this.i++;
      this.looksAround = true;
      return other(false, { zeroWidth: true, back: "$" });
    }
    if (c === "$") {
      this.i++;
      return other(false, { zeroWidth: true, endAnchor: !this.multiLine, back: "^" });
    }
    if (c === "*" || c === "+" || c === "?" || c === "{") throw new Unknown();
    if (c === "\\") {
      const e = src[this.i + 1];
      if (e === undefined) throw new Unknown();
      this.i += 2;
      if (/[^A-Za-z0-9]/.test(e)) return plain(e);
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) return plain(simple);
      if (e === "d" || e === "w" || e === "S") return other(false);
      if (e === "D" || e === "W" || e === "s" || e === "C") return other(true);
      if (e === "b" || e === "B" || e === "A") this.looksAround = true;
      if (e === "b" || e === "B") return other(false, { zeroWidth: true });
      if (e === "A") return other(false, { zeroWidth: true, back: "\\z" });
      if (e === "z") return other(false, { zeroWidth: true, endAnchor: true, back: "\\A" });
      if (e === "p" || e === "P") {
        this.skipBraceOrOne();
        return other(true);
      }
      if (e === "x") {
        if (src[this.i] === "{") this.skipBraceOrOne();
        else this.i += 2;
        return other(true);
      }
      throw new Unknown();
    }
    // A code point, not half of a surrogate pair.
    const char = String.fromCodePoint(src.codePointAt(this.i) as number);
    this.i += char.length;
    return plain(char);
  }

  skipBraceOrOne(): void {
    if (this.src[this.i] === "{") {
      const close = this.src.indexOf("}", this.i);
      if (close < 0) throw new Unknown();
      this.i = close + 1;
    } else this.i++;
  }

  /** A bracket class: never a literal; may match a line feed unless it plainly cannot. */
  charClass(): Item {
    const src = this.src;
    let j = this.i + 1;
    let newline = false;
    if (src[j] === "^") {
      newline = true;
      j++;
    }
    if (src[j] === "]") j++;
    let escaped = false;
    for (; j < src.length && src[j] !== "]"; j++) {
      const c = src[j] as string;
      const prevEscaped = escaped;
      escaped = false;
      // A line feed or carriage return written into the class itself (YAML "\n" in double quotes).
      if (c.charCodeAt(0) <= 13 && !prevEscaped) newline = true;
      if (c === "[") {
        newline = true; // [:space:] and friends
        const close = src.indexOf(":]", j);
        if (close < 0) throw new Unknown();
        j = close + 1;
      } else if (c === "\\") {
        const e = src[j + 1] ?? "";
        if (!/[^A-Za-z0-9]/.test(e) && !/[dwtSbfvra]/.test(e)) newline = true;
        if (e === "x" || e === "p" || e === "P") throw new Unknown();
        j++;
        escaped = true;
      } else if (c === "-" && j > this.i + 1 && src[j + 1] !== "]") {
        // A range: does it cover U+000A? Only when its low end is at or below it.
        if (prevEscaped || src.charCodeAt(j - 1) <= 10) newline = true;
      }
    }
    if (src[j] !== "]") throw new Unknown();
    this.i = j + 1;
    return { newline, endAnchor: false, zeroWidth: false, repeat: "one", back: "", quantifier: "" };
  }

  quantifier(item: Item): void {
    const src = this.src;
    const start = this.i;
    const c = src[this.i];
    let repeat: Item["repeat"] | undefined;
    if (c === "*" || c === "?") repeat = "optional";
    else if (c === "+") repeat = "some";
    if (repeat) this.i++;
    else if (c === "{") {
      const m = /^\{(\d+)(,\d*)?\}/.exec(src.slice(this.i));
      if (!m) throw new Unknown();
      this.i += m[0].length;
      repeat =
        Number(m[1]) === 0 ? "optional" : m[2] === undefined && m[1] === "1" ? "one" : "some";
    } else return;
    if (src[this.i] === "?") this.i++; // lazy: same set of matches starts
    const after = src[this.i];
    if (after !== undefined && "*+?{".includes(after)) throw new Unknown();
    item.repeat = repeat;
    item.quantifier = src.slice(start, this.i);
  }
}

/** Alternatives read backwards: each sequence in reverse order, each item mirrored. */
function backwards(alts: Item[][]): string {
  return alts
    .map((items) =>
      items
        .map((x) => x.back + x.quantifier)
        .reverse()
        .join(""),
    )
    .join("|");
}

/** More needles than this cost more to search one by one than the DFA costs to read the text. */
const MAX_PREFIXES = 16;

/** The literal texts one of which an alternative must start with (whole items only), or [] when
 * there is no such list. A leading group (`(ERROR|FATAL):`) gives its alternatives' prefixes. */
function prefixesOf(items: Item[]): string[] {
  let out = "";
  for (const item of items) {
    if (item.zeroWidth) continue;
    if (out === "" && item.alts && item.repeat !== "optional") {
      const inner = item.alts.map(prefixesOf);
      if (inner.some((p) => p.length === 0)) return [];
      return inner.flat();
    }
    if (item.char === undefined || item.repeat === "optional") break;
    out += item.char;
    if (item.repeat === "some") break;
  }
  return out === "" ? [] : [out];
}

export function regexShape(source: string, flags: string): RegexShape {
  let alts: Item[][];
  const reader = new Reader(source, flags.includes("s"), flags.includes("m"));
  try {
    alts = reader.alternation();
    if (reader.i !== source.length) return UNKNOWN;
  } catch (e) {
    if (e instanceof Unknown) return UNKNOWN;
    throw e;
  }
  const items = alts.flat();
  const shape: RegexShape = {
    lineConfined: !items.some((x) => x.newline),
    endAnchor: items.some((x) => x.endAnchor),
  };
  if (alts.every((alt) => alt.every((x) => x.char !== undefined && x.repeat === "one"))) {
    shape.literals = alts.map((alt) => alt.map((x) => x.char).join(""));
  }
  if (alts.every((alt) => alt.at(-1)?.endAnchor === true && alt.at(-1)?.zeroWidth === true)) {
    shape.endsAtEnd = true;
  }
  const prefixes = alts.map(prefixesOf);
  if (prefixes.every((p) => p.length > 0) && prefixes.flat().length <= MAX_PREFIXES) {
    shape.prefixes = [...new Set(prefixes.flat())];
  }
  shape.reversed = backwards(alts);
  shape.contextFree = !reader.looksAround;
  return shape;
}
