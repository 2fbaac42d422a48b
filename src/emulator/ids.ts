// Resource id formats (tat-api.md §0): a prefix and 8 lower-case letters or digits. A malformed id
// is an error; a well-formed unknown one is simply not found.
export const ID_PATTERNS = {
  invocation: /^inv-[a-z0-9]{8}$/,
  task: /^invt-[a-z0-9]{8}$/,
  // Real command ids have 8 characters too; shorter ones are accepted for readable demo scenarios.
  command: /^cmd-[a-z0-9]{1,32}$/,
  // CVM (`ins-`), Lighthouse (`lhins-`) and TAT managed (`mi-`) instances.
  instance: /^(?:ins|lhins|mi)-[a-z0-9]{1,32}$/,
} as const;

export type IdKind = keyof typeof ID_PATTERNS;

export function isId(kind: IdKind, value: string): boolean {
  return ID_PATTERNS[kind].test(value);
}
