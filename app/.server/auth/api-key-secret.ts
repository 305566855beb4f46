import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { formatApiKey } from "~/domain/api/api-key";

// The secret part of API keys (ADR 0014). A key's secret is 32 bytes from the OS's CSPRNG: with 256 bits of
// entropy nobody can guess it from its hash, so one SHA-256 is the right hash — a deliberately slow one (bcrypt,
// scrypt, argon2) protects low-entropy passwords and would only add its cost to every API call.

export interface NewApiKey {
  /** The full key, shown to the merchant once and never stored. */
  text: string;
  prefix: string;
  /** What is stored: hex SHA-256 of `text`. */
  hash: string;
}

export function hashApiKey(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function newApiKey(): NewApiKey {
  const prefix = randomBytes(6).toString("hex");
  const text = formatApiKey(prefix, randomBytes(32).toString("base64url"));
  return { text, prefix, hash: hashApiKey(text) };
}

/** Whether `text` hashes to the stored hash, compared in constant time. */
export function matchesHash(storedHex: string, text: string): boolean {
  const stored = Buffer.from(storedHex, "hex");
  const presented = createHash("sha256").update(text, "utf8").digest();
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}
