// ${VAR} and ${VAR:-default} in string values, $${ for a literal ${. A variable that is unset or
// empty is an error, never an empty string: in CI an empty `${{ steps.x.outputs.id }}` is the
// classic way a gate ends up checking nothing. `${capture.NAME}` is not a variable: it is left as
// written, to be replaced when each task is judged (capture-ref.ts).
import { CAPTURE_REF_INNER } from "./capture-ref.js";
import { closestMatch } from "./suggest.js";

export interface InterpolationProblem {
  /** Offset in the string where the `${` starts. */
  index: number;
  /** The text as written, e.g. `${DEPLOY_ID}`. */
  token: string;
  message: string;
  fix: string;
}

export interface Interpolated {
  value: string;
  /** Whether any `${…}` was replaced (an unquoted scalar is then re-read as a number or boolean). */
  replaced: boolean;
  problems: InterpolationProblem[];
}

// An unclosed `${` takes the rest of the text as its token: trying to close each later `${` again
// read to the end of the text each time (32,000 of them in one value took 50 s).
const TOKEN = /\$\$\{|\$\{([^}]*)(\}?)/g;
const REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

export function interpolate(text: string, env: Record<string, string | undefined>): Interpolated {
  // Most values hold no `$` at all.
  if (!text.includes("$")) return { value: text, replaced: false, problems: [] };
  const problems: InterpolationProblem[] = [];
  let replaced = false;
  const value = text.replace(
    TOKEN,
    (token: string, inner: string | undefined, close: string | undefined, index: number) => {
      if (token === "$${") return "${";
      if (!close) {
        problems.push({
          index,
          token,
          message: "unclosed `${`",
          fix: "close it with `}`, or write `$${` for a literal `${`",
        });
        return token;
      }
      if (CAPTURE_REF_INNER.test(inner ?? "")) return token;
      const ref = REFERENCE.exec(inner ?? "");
      if (!ref?.[1]) {
        problems.push({
          index,
          token,
          message: `\`${token}\` is not a variable reference`,
          fix:
            captureTypo(inner ?? "") ??
            // biome-ignore lint/suspicious/noTemplateCurlyInString: the user-facing ${VAR} syntax
            "write ${NAME} or ${NAME:-default} (letters, digits, _), or `$${` for a literal `${`",
        });
        return token;
      }
      const name = ref[1];
      const fallback = ref[2];
      const set = env[name];
      replaced = true;
      if (set?.includes("${")) {
        // Values are not interpolated twice, and a value still holding `${` would pass the
        // schema's allowance for editors unchecked (an id of any shape sent to the API).
        problems.push({
          index,
          token,
          message: `the value of ${name} holds \`\${\``,
          fix: `set ${name} to the value itself: variables are replaced once, never inside another's value`,
        });
        return token;
      }
      if (set !== undefined && set !== "") return set;
      if (fallback !== undefined) return fallback;
      problems.push({
        index,
        token,
        message: `environment variable ${name} is ${set === "" ? "empty" : "not set"}`,
        fix: `set ${name}, or give a default: \${${name}:-value}`,
      });
      return token;
    },
  );
  return { value, replaced, problems };
}

/** `${captures.version}`, `${Capture.version}`: a capture reference, misspelt. */
function captureTypo(inner: string): string | undefined {
  const m = /^([A-Za-z]+)\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(inner);
  if (!m || m[1] === "capture" || closestMatch(m[1] as string, ["capture"]) === undefined) {
    return undefined;
  }
  return `did you mean \`\${capture.${m[2]}}\`? (a value captured from task output)`;
}
