import { marks } from "./engine/sql-dialect";
import type { Queryable } from "./engine/types";

// Reads the wholesale purchase-order import needs before it decides anything (ADR 0018): which SKUs the catalog
// has, which PO numbers a partner's channel already holds and what request made them. Every statement takes the
// shop; lists are read 500 at a time (a file may name thousands).

const CHUNK = 500;

async function chunked<T>(values: readonly string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(values)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += CHUNK) out.push(...(await read(unique.slice(i, i + CHUNK))));
  return out;
}

/** The SKUs of these that a variant of the shop has. */
export async function knownSkus(q: Queryable, shopId: string, skus: readonly string[]): Promise<Set<string>> {
  const rows = await chunked(skus, (chunk) => q.all<{ sku: string }>(`SELECT "sku" FROM "Variant" WHERE "shopId" = ? AND "sku" IN (${marks(chunk.length)})`, shopId, ...chunk));
  return new Set(rows.map((r) => r.sku));
}

/** A few of the shop's SKUs (the first by SKU), for a template. */
export async function sampleSkus(q: Queryable, shopId: string, take: number): Promise<string[]> {
  const rows = await q.all<{ sku: string }>(`SELECT "sku" FROM "Variant" WHERE "shopId" = ? AND "sku" IS NOT NULL AND "sku" <> '' ORDER BY "sku" LIMIT ?`, shopId, take);
  return rows.map((r) => r.sku);
}

/** Which of these external ids the channel's orders already use. */
export async function heldExternalIds(q: Queryable, shopId: string, channelId: string, externalIds: readonly string[]): Promise<Set<string>> {
  const rows = await chunked(externalIds, (chunk) => q.all<{ externalId: string }>(`SELECT "externalId" FROM "Order" WHERE "shopId" = ? AND "channelId" = ? AND "externalId" IN (${marks(chunk.length)})`, shopId, channelId, ...chunk));
  return new Set(rows.map((r) => r.externalId));
}

/** The request fingerprint each of these idempotency keys of an operation is held for. */
export async function heldRequestHashes(q: Queryable, shopId: string, operation: string, keys: readonly string[]): Promise<Map<string, string>> {
  const rows = await chunked(keys, (chunk) => q.all<{ key: string; requestHash: string }>(`SELECT "key","requestHash" FROM "ApiIdempotencyKey" WHERE "shopId" = ? AND "operation" = ? AND "key" IN (${marks(chunk.length)})`, shopId, operation, ...chunk));
  return new Map(rows.map((r) => [r.key, r.requestHash]));
}

/** How many items each of the shop's trading partners has. */
export async function partnerItemCounts(q: Queryable, shopId: string): Promise<Map<string, number>> {
  const rows = await q.all<{ partnerId: string; n: number | string }>(`SELECT "partnerId", COUNT(*) AS "n" FROM "PartnerItem" WHERE "shopId" = ? GROUP BY "partnerId"`, shopId);
  return new Map(rows.map((r) => [r.partnerId, Number(r.n)]));
}
