// Options and variables set to "" or spaces count as unset: CI systems expand missing secrets to "".
export const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === "" ? undefined : value.trim();

/** The first of `names` set to a non-empty value, and which one it was. */
export function firstSet<const N extends string>(
  env: Record<string, string | undefined>,
  names: readonly N[],
): { name: N; value: string } | undefined {
  for (const name of names) {
    const value = nonEmpty(env[name]);
    if (value) return { name, value };
  }
  return undefined;
}
