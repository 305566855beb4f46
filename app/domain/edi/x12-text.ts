// Bytes of an X12 file → text. X12 is single-byte text (the basic and extended character sets); partners send
// UTF-8 or a Latin-1 code page. Valid UTF-8 is read as UTF-8 (a leading byte-order mark is dropped); anything else
// is read as Latin-1, byte for byte, so every byte — delimiters included — keeps its place and no input is refused
// for its encoding. A UTF-16 file (a UTF-16 byte-order mark) is named as such: X12 is never sent that way.

export type X12Text = { ok: true; text: string; encoding: "utf-8" | "latin1" } | { ok: false; error: string };

const UTF8 = new TextDecoder("utf-8", { fatal: true });

/** Latin-1 (ISO 8859-1): byte b is code point b. */
function latin1(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += 8192) parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 8192) as unknown as number[]));
  return parts.join("");
}

export function decodeX12(input: Uint8Array | string): X12Text {
  if (typeof input === "string") return { ok: true, text: input.charCodeAt(0) === 0xfeff ? input.slice(1) : input, encoding: "utf-8" };
  let bytes = input;
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  else if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return { ok: false, error: "not an X12 interchange: the file is UTF-16 text (X12 is sent as single-byte text, UTF-8 or Latin-1)" };
  }
  try {
    return { ok: true, text: UTF8.decode(bytes), encoding: "utf-8" };
  } catch {
    return { ok: true, text: latin1(bytes), encoding: "latin1" };
  }
}
