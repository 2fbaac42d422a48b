// `${capture.NAME}`: a value captured from a task's output, read in a later expectation. Unlike
// `${VAR}` (environment, replaced when the spec is loaded) it is replaced when each task is judged,
// so the loader leaves it in place and only checks that NAME is captured somewhere it can be read.

/** A capture name: what may follow `capture.` (the schema's propertyNames say the same). */
export const CAPTURE_NAME = "^[A-Za-z_][A-Za-z0-9_]*$";

const REF = /\$\{capture\.([A-Za-z_][A-Za-z0-9_]*)\}/g;
/** The inside of a `${…}` that is a capture reference (interpolate.ts leaves those alone). */
export const CAPTURE_REF_INNER = /^capture\.[A-Za-z_][A-Za-z0-9_]*$/;

export interface CaptureRef {
  name: string;
  /** The text as written, e.g. `${capture.version}`. */
  token: string;
  index: number;
}

export function captureRefs(text: string): CaptureRef[] {
  return [...text.matchAll(REF)].map((m) => ({
    name: m[1] as string,
    token: m[0],
    index: m.index,
  }));
}

export function hasCaptureRef(text: string): boolean {
  REF.lastIndex = 0;
  const found = REF.test(text);
  REF.lastIndex = 0;
  return found;
}

/** `text` with a stand-in value for each reference, for checks made before any value is known. A
 * value is quoted into a regex (literal text), so the stand-in gives the regex its shape. */
export function withStandIns(text: string, standIn = "x"): string {
  return text.replace(REF, standIn);
}

/** `text` with each reference replaced by `quote(value, offset of the reference in text)`;
 * `value` gives undefined for a name it cannot resolve, and the reference is then left as written
 * (the caller reports it). */
export function substituteCaptures(
  text: string,
  value: (name: string) => string | undefined,
  quote: (value: string, index: number) => string = (v) => v,
): string {
  return text.replace(REF, (token, name: string, index: number) => {
    const v = value(name);
    return v === undefined ? token : quote(v, index);
  });
}
