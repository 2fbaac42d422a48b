// The YAML language server editors run (yaml-language-server, as in VS Code's Red Hat YAML
// extension), driven over stdio like an editor drives it: the tests open a spec with the
// schema modeline and read the diagnostics and hover text an editor would show.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

export interface Diagnostic {
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
}

const require = createRequire(import.meta.url);

export class YamlLanguageServer {
  private readonly child: ChildProcess;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (result: unknown) => void>();
  private readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly waiters: { uri: string; done: (d: Diagnostic[]) => void }[] = [];
  private version = 0;

  constructor(nodeBinary = process.execPath) {
    const bin = require.resolve("yaml-language-server/bin/yaml-language-server");
    this.child = spawn(nodeBinary, [bin, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout?.on("data", (chunk: Buffer) => this.receive(chunk));
    this.child.stderr?.resume();
  }

  async start(): Promise<void> {
    await this.request("initialize", {
      processId: process.pid,
      rootUri: null,
      capabilities: {
        workspace: { configuration: true },
        textDocument: { hover: { contentFormat: ["markdown", "plaintext"] } },
      },
    });
    this.notify("initialized", {});
    this.notify("workspace/didChangeConfiguration", { settings: { yaml: settings } });
  }

  /** Opens (or replaces) a document and resolves with the diagnostics published for it. */
  async diagnose(uri: string, text: string): Promise<Diagnostic[]> {
    const published = new Promise<Diagnostic[]>((done) => this.waiters.push({ uri, done }));
    this.version++;
    if (this.version === 1 || !this.diagnostics.has(uri)) {
      this.notify("textDocument/didOpen", {
        textDocument: { uri, languageId: "yaml", version: this.version, text },
      });
    } else {
      this.notify("textDocument/didChange", {
        textDocument: { uri, version: this.version },
        contentChanges: [{ text }],
      });
    }
    return published;
  }

  async hover(uri: string, line: number, character: number): Promise<string> {
    const result = (await this.request("textDocument/hover", {
      textDocument: { uri },
      position: { line, character },
    })) as { contents?: { value?: string } | string } | null;
    const c = result?.contents;
    return typeof c === "string" ? c : (c?.value ?? "");
  }

  /** Labels of the completion items offered at a position. */
  async completion(uri: string, line: number, character: number): Promise<string[]> {
    const result = (await this.request("textDocument/completion", {
      textDocument: { uri },
      position: { line, character },
    })) as { items?: { label: string }[] } | { label: string }[] | null;
    const items = Array.isArray(result) ? result : (result?.items ?? []);
    return items.map((i) => i.label);
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.request("shutdown", null), new Promise((r) => setTimeout(r, 2000))]);
      this.notify("exit", null);
    } finally {
      this.child.kill();
    }
  }

  private request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    this.send({ jsonrpc: "2.0", id, method, params });
    return new Promise((resolve) => this.pending.set(id, resolve));
  }

  private notify(method: string, params: unknown): void {
    this.send({ jsonrpc: "2.0", method, params });
  }

  private send(message: unknown): void {
    const body = Buffer.from(JSON.stringify(message), "utf8");
    this.child.stdin?.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin?.write(body);
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf("\r\n\r\n");
      if (end < 0) return;
      const header = this.buffer.subarray(0, end).toString("ascii");
      const length = Number(/Content-Length: (\d+)/i.exec(header)?.[1]);
      if (this.buffer.length < end + 4 + length) return;
      const body = this.buffer.subarray(end + 4, end + 4 + length).toString("utf8");
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.handle(JSON.parse(body));
    }
  }

  private handle(m: { id?: number; method?: string; params?: unknown; result?: unknown }): void {
    if (m.method === undefined && m.id !== undefined) {
      this.pending.get(m.id)?.(m.result);
      this.pending.delete(m.id);
      return;
    }
    if (m.method === "textDocument/publishDiagnostics") {
      const p = m.params as { uri: string; diagnostics: Diagnostic[] };
      this.diagnostics.set(p.uri, p.diagnostics);
      for (const w of this.waiters.filter((x) => x.uri === p.uri)) w.done(p.diagnostics);
      this.waiters.splice(0, this.waiters.length, ...this.waiters.filter((x) => x.uri !== p.uri));
      return;
    }
    if (m.id !== undefined) {
      // Requests from the server (workspace/configuration, client/registerCapability, …).
      const result =
        m.method === "workspace/configuration"
          ? ((m.params as { items?: unknown[] }).items ?? []).map(() => settings)
          : null;
      this.send({ jsonrpc: "2.0", id: m.id, result });
    }
  }
}

const settings = { validate: true, hover: true, completion: true, schemaStore: { enable: false } };

export const fileUri = (path: string) => pathToFileURL(path).href;
