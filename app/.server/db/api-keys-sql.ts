import type { ApiKeyScope } from "~/domain/api/api-key";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// API keys (ADR 0014) and the idempotency keys of API writes. Every function takes the shop first, except
// finding a key by its prefix: the key is what names the shop, so that lookup cannot be scoped by one.

export interface ApiKeyRow {
  id: string;
  shopId: string;
  name: string;
  prefix: string;
  scope: ApiKeyScope;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const KEY_COLUMNS = `"id","shopId","name","prefix","scope","createdAt","lastUsedAt","revokedAt"`;

/** Store a new key (its hash only). False when the prefix is taken (the caller draws another). */
export async function insertApiKey(q: Queryable, shopId: string, key: { name: string; prefix: string; hash: string; scope: ApiKeyScope }, now = new Date()): Promise<string | null> {
  const id = newId();
  const { changes } = await q.run(
    `INSERT INTO "ApiKey" ("id","shopId","name","prefix","hash","scope","createdAt") VALUES (?,?,?,?,?,?,?) ON CONFLICT ("prefix") DO NOTHING`,
    id, shopId, key.name, key.prefix, key.hash, key.scope, sqlTime(now),
  );
  return changes === 1 ? id : null;
}

/** The shop's keys, newest first, revoked ones included (never their hashes). */
export async function listApiKeys(q: Queryable, shopId: string): Promise<ApiKeyRow[]> {
  return q.all<ApiKeyRow>(`SELECT ${KEY_COLUMNS} FROM "ApiKey" WHERE "shopId" = ? ORDER BY "createdAt" DESC, "id" DESC`, shopId);
}

/** Revoke one of the shop's keys (once: a revoked key keeps its first revocation time). */
export async function revokeApiKeyRow(q: Queryable, shopId: string, keyId: string, now = new Date()): Promise<"revoked" | "already_revoked" | "not_found"> {
  const { changes } = await q.run(`UPDATE "ApiKey" SET "revokedAt" = ? WHERE "shopId" = ? AND "id" = ? AND "revokedAt" IS NULL`, sqlTime(now), shopId, keyId);
  if (changes === 1) return "revoked";
  return (await q.get(`SELECT "id" FROM "ApiKey" WHERE "shopId" = ? AND "id" = ?`, shopId, keyId)) ? "already_revoked" : "not_found";
}

/** Every live key of the shop revoked at once (app/uninstalled: an integration's access ends with the app's). */
export async function revokeAllApiKeys(q: Queryable, shopId: string, now = new Date()): Promise<number> {
  return (await q.run(`UPDATE "ApiKey" SET "revokedAt" = ? WHERE "shopId" = ? AND "revokedAt" IS NULL`, sqlTime(now), shopId)).changes;
}

/** A key by its prefix, with its hash: the bearer is what names the shop, so this one read is not scoped by one. */
export async function findApiKeyByPrefix(q: Queryable, prefix: string): Promise<(ApiKeyRow & { hash: string }) | undefined> {
  return q.get<ApiKeyRow & { hash: string }>(`SELECT ${KEY_COLUMNS},"hash" FROM "ApiKey" WHERE "prefix" = ?`, prefix);
}

/** Record a use of the key, unless one was recorded since `notBefore` (another process may have just done it). */
export async function touchApiKey(q: Queryable, shopId: string, keyId: string, now: Date, notBefore: Date): Promise<void> {
  await q.run(`UPDATE "ApiKey" SET "lastUsedAt" = ? WHERE "shopId" = ? AND "id" = ? AND ("lastUsedAt" IS NULL OR "lastUsedAt" < ?)`, sqlTime(now), shopId, keyId, sqlTime(notBefore));
}

// ---- idempotency keys -----------------------------------------------------------------------------------

export interface IdempotencyClaim {
  id: string;
  requestHash: string;
  channelId: string;
  externalId: string;
  createdAt: string;
  /** This call wrote the row (no earlier request held the key). */
  fresh: boolean;
}

/**
 * Hold `key` for a request with this fingerprint and the order it makes (channel + external id), or read what an
 * earlier request under the key held. The unique (shop, operation, key) settles concurrent requests: one writes,
 * the others read its row.
 */
export async function claimIdempotencyKey(tx: Tx, shopId: string, operation: string, key: string, claim: { requestHash: string; channelId: string; externalId: string }, now: Date): Promise<IdempotencyClaim> {
  const id = newId();
  const { changes } = await tx.run(
    `INSERT INTO "ApiIdempotencyKey" ("id","shopId","operation","key","requestHash","channelId","externalId","createdAt") VALUES (?,?,?,?,?,?,?,?) ON CONFLICT ("shopId","operation","key") DO NOTHING`,
    id, shopId, operation, key, claim.requestHash, claim.channelId, claim.externalId, sqlTime(now),
  );
  const row = (await tx.get<Omit<IdempotencyClaim, "fresh">>(`SELECT "id","requestHash","channelId","externalId","createdAt" FROM "ApiIdempotencyKey" WHERE "shopId" = ? AND "operation" = ? AND "key" = ?`, shopId, operation, key))!;
  return { ...row, fresh: changes === 1 };
}

const CLAIM_KEYS: string[] = [];

/**
 * Many keys of one operation held at once (the batch intake of an import, ADR 0032): each written unless already
 * held; returns the keys this call wrote (fresh). A key held already is the caller's to look at (claimIdempotencyKey).
 */
export async function claimIdempotencyKeys(tx: Tx, shopId: string, operation: string, claims: readonly { key: string; requestHash: string; channelId: string; externalId: string }[], now: Date): Promise<Set<string>> {
  const fresh = new Set<string>();
  const at = sqlTime(now);
  for (let i = 0; i < claims.length; i += 200) {
    const chunk = claims.slice(i, i + 200);
    const text = (CLAIM_KEYS[chunk.length] ??= `INSERT INTO "ApiIdempotencyKey" ("id","shopId","operation","key","requestHash","channelId","externalId","createdAt") VALUES ${Array.from({ length: chunk.length }, () => "(?,@shop,@operation,?,?,?,?,@at)").join(",")} ON CONFLICT ("shopId","operation","key") DO NOTHING RETURNING "key"`);
    const values: unknown[] = [{ shop: shopId, operation, at }];
    for (const c of chunk) values.push(newId(), c.key, c.requestHash, c.channelId, c.externalId);
    for (const row of await tx.all<{ key: string }>(text, ...values)) fresh.add(row.key);
  }
  return fresh;
}

/** Give keys back (the request they were held for failed before it made anything). */
export async function releaseIdempotencyKeys(q: Queryable, shopId: string, ids: string[]): Promise<void> {
  for (const id of ids) await q.run(`DELETE FROM "ApiIdempotencyKey" WHERE "shopId" = ? AND "id" = ?`, shopId, id);
}
