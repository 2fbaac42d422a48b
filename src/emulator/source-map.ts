// A parsed YAML/JSON document plus a way to turn a data path back into file:line:col, so every
// scenario problem can point at the text that caused it.
import { isMap, isScalar, LineCounter, type Node, parseDocument } from "yaml";
import type { SourceLocation } from "../model.js";

export type DataPath = readonly (string | number)[];

export interface Located {
  data: unknown;
  /** Where the value at `path` is written; `key` points at a map key instead of its value. */
  locate(path: DataPath, key?: string): SourceLocation;
  /** YAML syntax errors; `data` is unusable when non-empty. */
  syntaxErrors: { where: SourceLocation; message: string }[];
  /** Whether the text shows where it ends: a YAML document end marker (`...`), or a flow
   * document (JSON) whose closing bracket is its end. A block document cut short is still YAML. */
  ended: boolean;
  /** Where the text ends. */
  end: SourceLocation;
}

/** For data built in code: every location is the start of the (virtual) file. */
export function unlocated(data: unknown, file: string): Located {
  const start = { file, line: 1, col: 1 };
  return { data, locate: () => start, syntaxErrors: [], ended: true, end: start };
}

export function parseLocated(text: string, file: string): Located {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, col: pos.col };
  };
  const syntaxErrors = doc.errors.map((e) => ({
    where: at(e.pos[0]),
    message: e.message.split("\n")[0] ?? e.message,
  }));
  const locate = (path: DataPath, key?: string): SourceLocation => {
    // Walk down as far as the path exists, so a missing field points at its parent.
    let node: unknown = doc.contents;
    for (const step of path) {
      const next = (node as { get?: (k: unknown, keep: boolean) => unknown })?.get?.(step, true);
      if (next === undefined || next === null) break;
      node = next;
    }
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      const keyNode = pair?.key as Node | undefined;
      if (keyNode?.range) return at(keyNode.range[0]);
    }
    const range = (node as Node | null)?.range;
    return range ? at(range[0]) : { file, line: 1, col: 1 };
  };
  return {
    data: syntaxErrors.length ? undefined : doc.toJS(),
    locate,
    syntaxErrors,
    ended: doc.directives.docEnd || (isMap(doc.contents) && doc.contents.flow === true),
    end: at(text.length),
  };
}
