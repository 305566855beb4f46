import ssh2, { type ParsedKey } from "ssh2";

// ssh2 1.17's ed25519 generator now and then writes an OpenSSH private key its own parser calls malformed (about 1
// in 400 keys, measured on 2,000). A CI run once drew such a host key. A stand-in makes keys until one reads back.
export function generateEd25519(): { private: string; public: string; parsed: ParsedKey } {
  let lastError: unknown;
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const pair = ssh2.utils.generateKeyPairSync("ed25519");
    const parsed = ssh2.utils.parseKey(pair.private);
    if (!(parsed instanceof Error) && !Array.isArray(parsed)) return { private: pair.private, public: pair.public, parsed };
    lastError = parsed;
  }
  throw new Error(`could not make an ed25519 key ssh2 reads back: ${String(lastError)}`);
}
