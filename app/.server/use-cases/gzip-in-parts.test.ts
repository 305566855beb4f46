import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { gzipInParts } from "./create-import";

// A kept import file is gzipped in parts on the thread pool (one member per core); read back it is the file.

/** Text-like bytes (compressible, not uniform): tab-separated lines with varying numbers. */
function lines(bytes: number): Buffer {
  const line = (i: number) => `${i}\t112-${String(i * 7919).padStart(7, "0")}-0000001\tAMZ-${i % 200}\t${randomBytes(3).toString("hex")}\n`;
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const l = line(i);
    out.push(l);
    size += l.length;
  }
  return Buffer.from(out.join("").slice(0, bytes));
}
const TEXT = lines(9 * 1024 * 1024 + 7);
const report = (bytes: number) => TEXT.subarray(0, bytes);

describe("gzipInParts", () => {
  it.each([0, 1, 4 * 1024 * 1024 - 1, 9 * 1024 * 1024 + 7])("reads back byte for byte (%i bytes)", async (size) => {
    const bytes = report(size);
    const zipped = await gzipInParts(bytes);
    expect(gunzipSync(zipped).equals(bytes)).toBe(true);
  });

  it("a file of several parts' size is one gzip member per core (at most), each of its consecutive part", async () => {
    const bytes = report(9 * 1024 * 1024);
    const parts = Math.min(availableParallelism(), 2); // 9 MiB holds two 4 MiB parts
    const size = Math.ceil(bytes.length / parts);
    const expected = Buffer.concat(Array.from({ length: parts }, (_, i) => gzipSync(bytes.subarray(i * size, (i + 1) * size))));
    expect((await gzipInParts(bytes)).equals(expected)).toBe(true);
  });
});
