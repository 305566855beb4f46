// Bytes of an uploaded text file → text, without guessing. A byte-order mark decides (UTF-8, UTF-16LE/BE); else a
// charset the sender declared; else UTF-8 when every byte sequence is valid UTF-8. A file with bytes UTF-8 cannot
// hold and not one multi-byte UTF-8 character is a single-byte legacy file: read as Windows-1252 (what Amazon's
// Western European marketplaces and Excel write). A file with both is mixed: it is read as UTF-8 and the lines
// holding the stray bytes are named, so they are refused rather than imported with mangled text.
// TextDecoder (WHATWG Encoding, in Node and browsers) does the decoding; nothing here is statistical.

export interface DecodedText {
  text: string;
  /** The encoding the text was read in (a WHATWG label: utf-8, utf-16le, windows-1252, shift_jis, …). */
  encoding: string;
  /** Lines (1-based, as the file's line breaks count them: CRLF, LF or CR) holding bytes that are not UTF-8. */
  invalidLines: number[];
  /** Said once for the whole file (e.g. that it was read as Windows-1252). */
  note: string | null;
}

export type Decoding = { ok: true; decoded: DecodedText } | { ok: false; error: string };

function labelOf(charset: string): string | null {
  try {
    return new TextDecoder(charset.trim().replace(/^["']|["']$/g, "")).encoding;
  } catch {
    return null;
  }
}

/** Valid UTF-8 multi-byte characters and the lines of bytes that are not valid UTF-8. */
function scanUtf8(bytes: Uint8Array): { multiByte: number; invalidLines: number[] } {
  let multiByte = 0;
  let line = 1;
  const invalid: number[] = [];
  const bad = () => {
    if (invalid[invalid.length - 1] !== line) invalid.push(line);
  };
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      if (b === 0x0a) line += 1;
      else if (b === 0x0d) {
        line += 1;
        if (bytes[i + 1] === 0x0a) i += 1;
      }
      i += 1;
      continue;
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    let ok = need > 0 && i + need < bytes.length;
    if (ok) {
      for (let k = 1; k <= need; k += 1) if ((bytes[i + k] & 0xc0) !== 0x80) ok = false;
      // Overlong and surrogate forms are invalid too.
      if (ok && b === 0xe0 && bytes[i + 1] < 0xa0) ok = false;
      if (ok && b === 0xed && bytes[i + 1] > 0x9f) ok = false;
      if (ok && b === 0xf0 && bytes[i + 1] < 0x90) ok = false;
      if (ok && b === 0xf4 && bytes[i + 1] > 0x8f) ok = false;
    }
    if (ok) {
      multiByte += 1;
      i += need + 1;
    } else {
      bad();
      i += 1;
    }
  }
  return { multiByte, invalidLines: invalid };
}

/** Decode an uploaded file's bytes (see the file comment). `declared`: the charset the sender named, if any. */
export function decodeText(bytes: Uint8Array, declared?: string | null): Decoding {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeText(bytes.subarray(3), "utf-8");
  }
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const encoding = bytes[0] === 0xff ? "utf-16le" : "utf-16be";
    return { ok: true, decoded: { text: new TextDecoder(encoding).decode(bytes.subarray(2)), encoding, invalidLines: [], note: null } };
  }
  if (declared) {
    const label = labelOf(declared);
    if (!label) return { ok: false, error: `the declared charset ${JSON.stringify(declared.slice(0, 40))} is not one we can read` };
    if (label !== "utf-8") return { ok: true, decoded: { text: new TextDecoder(label).decode(bytes), encoding: label, invalidLines: [], note: `read as ${label}, as declared` } };
  }
  try {
    return { ok: true, decoded: { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "utf-8", invalidLines: [], note: null } };
  } catch {
    // not valid UTF-8: legacy single-byte, or mixed
  }
  const scan = scanUtf8(bytes);
  if (scan.multiByte === 0 && !declared) {
    return { ok: true, decoded: { text: new TextDecoder("windows-1252").decode(bytes), encoding: "windows-1252", invalidLines: [], note: "the file is not UTF-8: read as Windows-1252" } };
  }
  return {
    ok: true,
    decoded: { text: new TextDecoder("utf-8").decode(bytes), encoding: "utf-8", invalidLines: scan.invalidLines, note: "the file mixes UTF-8 with another encoding: lines with bytes that are not UTF-8 are refused" },
  };
}
