// What the terminal can do: colour (from the stream, the environment and --color/--no-color),
// redraw in place, and how wide a line may be.
import { WriteStream } from "node:tty";

export interface TerminalStream {
  isTTY?: boolean;
  columns?: number;
  hasColors?: (env?: object) => boolean;
}

/** NO_COLOR counts only when non-empty (no-color.org); Node's own check counts it when set. */
function colorEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  if (env.NO_COLOR !== "") return env;
  const { NO_COLOR: _empty, ...rest } = env;
  return rest;
}

/**
 * Colour as the stream says (`hasColors` honours FORCE_COLOR, NO_COLOR, TERM=dumb); a stream that
 * is not a terminal (a pipe, a CI log) gets colour only when FORCE_COLOR asks for it, as GitHub
 * Actions users set it. `flag` is --color (true) or --no-color (false) and wins over both.
 */
export function useColor(
  stream: TerminalStream,
  env: Record<string, string | undefined>,
  flag?: boolean,
): boolean {
  if (flag !== undefined) return flag;
  const e = colorEnv(env);
  if (stream.isTTY && typeof stream.hasColors === "function") return stream.hasColors(e);
  if (e.FORCE_COLOR === undefined) return false;
  // The same reading of FORCE_COLOR as a terminal's ("0" and "false" mean no).
  return WriteStream.prototype.hasColors.call(stream as WriteStream, 16, e);
}

/** Progress redrawn in place: only on a terminal that can move the cursor, never in CI logs. */
export function canRedraw(
  stream: TerminalStream,
  env: Record<string, string | undefined>,
): boolean {
  return Boolean(stream.isTTY) && env.CI === undefined && env.TERM !== "dumb";
}

// East Asian wide and fullwidth characters and most emoji take two columns.
const WIDE =
  /[\u1100-\u115F\u2E80-\u303E\u3041-\u33FF\u3400-\u4DBF\u4E00-\u9FFF\uA000-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{1F300}-\u{1F64F}\u{1F900}-\u{1F9FF}\u{20000}-\u{3FFFD}]/u;

/** `text` (plain, no escape sequences) cut to at most `width` columns, with "…" when cut. */
export function fitWidth(text: string, width: number): string {
  const chars = [...text];
  let used = 0;
  for (let i = 0; i < chars.length; i++) {
    const w = WIDE.test(chars[i] ?? "") ? 2 : 1;
    if (used + w > width) {
      // Room for the ellipsis: drop characters until one column is free.
      let keep = i;
      let cols = used;
      while (keep > 0 && cols + 1 > width) {
        keep--;
        cols -= WIDE.test(chars[keep] ?? "") ? 2 : 1;
      }
      return `${chars.slice(0, keep).join("")}…`;
    }
    used += w;
  }
  return text;
}
