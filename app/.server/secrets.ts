import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "./env";
import { AppError } from "./errors";

// Credentials the app must keep to act for the merchant (a trading partner's SFTP password or private key, ADR
// 0023), encrypted at rest with AES-256-GCM: `v1.<iv>.<tag>.<ciphertext>`, base64url. The key is OMS_SECRETS_KEY,
// or one derived from SHOPIFY_API_SECRET when that is unset. `purpose` is bound in as associated data, so a value
// stored for one use cannot be read as another's.

function key(): Buffer {
  const configured = env().OMS_SECRETS_KEY;
  if (configured) return Buffer.from(configured, "base64");
  return Buffer.from(hkdfSync("sha256", env().SHOPIFY_API_SECRET, "oms-secrets", "stored credentials v1", 32));
}

export function sealSecret(plain: string, purpose: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  cipher.setAAD(Buffer.from(purpose));
  const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export function openSecret(sealed: string, purpose: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== "v1" || !iv || !tag || body === undefined) throw new AppError("unexpected_state", "SECRET.MALFORMED", "A stored credential is not in a form this app wrote");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(purpose));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new AppError("unexpected_state", "SECRET.UNREADABLE", "A stored credential cannot be read with this app's key (OMS_SECRETS_KEY or SHOPIFY_API_SECRET changed?): enter it again");
  }
}
