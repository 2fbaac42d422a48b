// Reading a file that may legitimately be absent, telling "not there" apart from "cannot read".

export type FileRead =
  | { kind: "text"; text: string }
  | { kind: "missing" }
  | { kind: "unreadable"; code: string };

export async function readOptional(
  readFile: (path: string) => Promise<string>,
  path: string,
): Promise<FileRead> {
  try {
    return { kind: "text", text: await readFile(path) };
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { kind: "missing" };
    return { kind: "unreadable", code: typeof code === "string" ? code : "unknown error" };
  }
}
