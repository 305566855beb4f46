import { LAST_USED_EVERY_MS, parseApiKey, scopeAllows, shouldRecordUse, type ApiKeyScope } from "~/domain/api/api-key";
import { findApiKeyByPrefix, touchApiKey } from "../db/api-keys-sql";
import { database } from "../db/database";
import { findShopById, type ShopRow } from "../db/shops";
import { matchesHash } from "./api-key-secret";

// /api/v1 with an API key (ADR 0014): `Authorization: Bearer oms_<prefix>_<secret>`. The key names its shop;
// every route then reads and writes that shop only, exactly as with a session token.

export interface ApiKeyCaller {
  keyId: string;
  prefix: string;
  scope: ApiKeyScope;
}

const refuse = (status: 401 | 403 | 404, type: string, code: string, message: string) => Response.json({ error: { type, code, message } }, { status });

const INVALID = () => refuse(401, "not_allowed", "AUTH.INVALID_API_KEY", "This API key is not valid.");

/**
 * The shop of a request carrying an API key, or a thrown Response: 401 for a key that does not parse, is
 * unknown or revoked; 403 for a read key on a method that writes; 404 when its shop is not installed.
 */
export async function authenticateApiKey(request: Request, token: string, now = new Date()): Promise<{ shop: ShopRow; caller: ApiKeyCaller }> {
  const parsed = parseApiKey(token);
  if (!parsed.ok) throw refuse(401, "not_allowed", "AUTH.MALFORMED_API_KEY", `This is not an API key of this app (${parsed.reason}).`);
  const key = await findApiKeyByPrefix(database(), parsed.prefix);
  // Unknown prefix and wrong secret answer alike; only the key's holder learns it was revoked.
  if (!key || !matchesHash(key.hash, token)) throw INVALID();
  if (key.revokedAt) throw refuse(401, "not_allowed", "AUTH.REVOKED_API_KEY", "This API key was revoked; create a new one in Settings.");
  if (!scopeAllows(key.scope, request.method)) throw refuse(403, "not_allowed", "AUTH.READ_ONLY_KEY", `This API key is read-only: it may GET, not ${request.method}.`);
  const shop = await findShopById(database(), key.shopId);
  if (!shop || shop.status !== "installed") throw refuse(404, "not_found", "SHOP.NOT_INSTALLED", "This shop has no data here yet.");
  // At most one write a minute per key: the row just read says when its use was last recorded.
  if (shouldRecordUse(key.lastUsedAt, now)) await touchApiKey(database(), key.shopId, key.id, now, new Date(now.getTime() - LAST_USED_EVERY_MS));
  return { shop, caller: { keyId: key.id, prefix: key.prefix, scope: key.scope } };
}
