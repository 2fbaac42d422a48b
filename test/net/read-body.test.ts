// The one reader of HTTP answer bodies (the TAT API's and the credential services'): bounded and
// strictly UTF-8. Over real HTTP in test/tat/client.test.ts and test/credentials; here the edges
// a server cannot easily produce on cue.
import { describe, expect, test } from "@jest/globals";
import { readBody } from "../../src/net/read-body.js";

/** A Response whose body arrives as these chunks, then `end` (an error, or the normal end). */
function answer(
  chunks: Uint8Array[],
  end?: unknown,
  headers: Record<string, string> = {},
): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[i++];
      if (chunk) controller.enqueue(chunk);
      else if (end !== undefined) controller.error(end);
      else controller.close();
    },
  });
  return new Response(body, { headers });
}

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

describe("readBody", () => {
  test("text in chunks, a character split between two of them read whole", async () => {
    const bytes = utf8('{"m":"部署"}');
    const cut = bytes.indexOf(0xe9) + 1;
    const read = await readBody(answer([bytes.subarray(0, cut), bytes.subarray(cut)]), 100);
    expect(read).toEqual({ text: '{"m":"部署"}' });
  });

  test("a BOM is kept as text, for the JSON parser to refuse", async () => {
    expect(await readBody(answer([utf8("\uFEFF{}")]), 100)).toEqual({ text: "\uFEFF{}" });
  });

  test("a byte that is not UTF-8, and a body that ends inside a character", async () => {
    expect(await readBody(answer([new Uint8Array([0x7b, 0xfc, 0x7d])]), 100)).toEqual({
      notUtf8: true,
    });
    expect(await readBody(answer([utf8("部").subarray(0, 2)]), 100)).toEqual({ notUtf8: true });
  });

  test("over the limit, declared or streamed; at the limit, read", async () => {
    const declared = answer([utf8("{}")], undefined, { "content-length": "101" });
    expect(await readBody(declared, 100)).toEqual({ tooLarge: true });
    let pulled = 0;
    const endless = new Response(
      new ReadableStream<Uint8Array>({
        pull(controller) {
          pulled++;
          controller.enqueue(new Uint8Array(40).fill(0x61));
        },
      }),
    );
    expect(await readBody(endless, 100)).toEqual({ tooLarge: true });
    // Stopped at the chunk that crossed the limit, not read on.
    expect(pulled).toBeLessThanOrEqual(5);
    const exact = await readBody(answer([new Uint8Array(100).fill(0x61)]), 100);
    expect(exact).toEqual({ text: "a".repeat(100) });
  });

  test("a failure of the stream itself is the caller's, not 'not UTF-8'", async () => {
    // undici's own mid-body failure is a TypeError too ("terminated").
    const terminated = Object.assign(new TypeError("terminated"), { cause: "socket" });
    await expect(readBody(answer([utf8("{")], terminated), 100)).rejects.toBe(terminated);
  });

  test("no body is empty text", async () => {
    expect(await readBody(new Response(null), 100)).toEqual({ text: "" });
  });
});
