// A writable stream that keeps what was written, for stdout/stderr of reporters.
import { Writable } from "node:stream";

export class Capture extends Writable {
  text = "";
  override _write(
    chunk: Buffer | string,
    _enc: BufferEncoding,
    done: (error?: Error | null) => void,
  ) {
    this.text += chunk.toString();
    done();
  }
  lines(): string[] {
    return this.text.split("\n").filter((l) => l !== "");
  }
}
