import { marks } from "./engine/sql-dialect";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Amazon channels (ADR 0011): the seller's authorisation per channel, what Amazon says of each seller SKU, and
// the listings feeds in flight. Every statement takes the shop.

export interface AmazonConnectionRow {
  channelId: string;
  sellerId: string;
  marketplaceId: string;
  refreshToken: string;
  updatedAt: string;
}

export async function amazonConnection(q: Queryable, shopId: string, channelId: string): Promise<AmazonConnectionRow | undefined> {
  return q.get<AmazonConnectionRow>(`SELECT "channelId","sellerId","marketplaceId","refreshToken","updatedAt" FROM "AmazonConnection" WHERE "shopId" = ? AND "channelId" = ?`, shopId, channelId);
}

/** The shop's Amazon channels that a seller has authorised. */
export async function connectedAmazonChannelIds(q: Queryable, shopId: string): Promise<Set<string>> {
  return new Set((await q.all<{ channelId: string }>(`SELECT "channelId" FROM "AmazonConnection" WHERE "shopId" = ?`, shopId)).map((r) => r.channelId));
}

export async function saveAmazonConnection(tx: Tx, shopId: string, c: Omit<AmazonConnectionRow, "updatedAt">, at = sqlTime()): Promise<void> {
  await tx.run(
    `INSERT INTO "AmazonConnection" ("channelId","shopId","sellerId","marketplaceId","refreshToken","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?)
     ON CONFLICT ("channelId") DO UPDATE SET "sellerId" = excluded."sellerId", "marketplaceId" = excluded."marketplaceId", "refreshToken" = excluded."refreshToken", "updatedAt" = excluded."updatedAt"
     WHERE "AmazonConnection"."shopId" = excluded."shopId"`,
    c.channelId, shopId, c.sellerId, c.marketplaceId, c.refreshToken, at, at,
  );
  // Another seller account or marketplace: what was learnt about its listings no longer holds.
  await tx.run(`DELETE FROM "AmazonListing" WHERE "shopId" = ? AND "channelId" = ?`, shopId, c.channelId);
}

export async function deleteAmazonConnection(tx: Tx, shopId: string, channelId: string): Promise<void> {
  await tx.run(`DELETE FROM "AmazonConnection" WHERE "shopId" = ? AND "channelId" = ?`, shopId, channelId);
  await tx.run(`DELETE FROM "AmazonListing" WHERE "shopId" = ? AND "channelId" = ?`, shopId, channelId);
  // Feeds still processing can no longer be read (no authorisation): nothing waits for them.
  await tx.run(`UPDATE "AmazonFeed" SET "status" = 'fatal', "error" = 'channel disconnected' WHERE "shopId" = ? AND "channelId" = ? AND "status" = 'submitted'`, shopId, channelId);
}

export interface AmazonListingRow {
  sku: string;
  productType: string | null;
  checkedAt: string;
}

export async function amazonListings(q: Queryable, shopId: string, channelId: string, skus: string[]): Promise<Map<string, AmazonListingRow>> {
  const out = new Map<string, AmazonListingRow>();
  if (skus.length === 0) return out;
  for (let i = 0; i < skus.length; i += 500) {
    const chunk = skus.slice(i, i + 500);
    const rows = await q.all<AmazonListingRow>(
      `SELECT "sku","productType","checkedAt" FROM "AmazonListing" WHERE "shopId" = ? AND "channelId" = ? AND "sku" IN (${marks(chunk.length)})`,
      shopId, channelId, ...chunk,
    );
    for (const r of rows) out.set(r.sku, r);
  }
  return out;
}

export async function saveAmazonListing(tx: Tx, shopId: string, channelId: string, sku: string, productType: string | null, at = sqlTime()): Promise<void> {
  await tx.run(
    `INSERT INTO "AmazonListing" ("id","shopId","channelId","sku","productType","checkedAt") VALUES (?,?,?,?,?,?)
     ON CONFLICT ("channelId","sku") DO UPDATE SET "productType" = excluded."productType", "checkedAt" = excluded."checkedAt"
     WHERE "AmazonListing"."shopId" = excluded."shopId"`,
    newId(), shopId, channelId, sku, productType, at,
  );
}

export async function forgetAmazonListings(tx: Tx, shopId: string, channelId: string, skus: string[]): Promise<void> {
  for (let i = 0; i < skus.length; i += 500) {
    const chunk = skus.slice(i, i + 500);
    await tx.run(`DELETE FROM "AmazonListing" WHERE "shopId" = ? AND "channelId" = ? AND "sku" IN (${marks(chunk.length)})`, shopId, channelId, ...chunk);
  }
}

export interface FeedMessage {
  messageId: number;
  variantId: string;
  sku: string;
  quantity: number;
  through: number;
  dirtyAt: string;
}

export interface AmazonFeedRow {
  id: string;
  feedId: string;
  messages: FeedMessage[];
  submittedAt: string;
}

export async function saveSubmittedFeed(tx: Tx, shopId: string, channelId: string, feedId: string, messages: FeedMessage[], at = sqlTime()): Promise<void> {
  await tx.run(
    `INSERT INTO "AmazonFeed" ("id","shopId","channelId","feedId","status","messages","submittedAt") VALUES (?,?,?,?,'submitted',?,?)`,
    newId(), shopId, channelId, feedId, JSON.stringify(messages), at,
  );
}

export async function submittedFeeds(q: Queryable, shopId: string, channelId: string): Promise<AmazonFeedRow[]> {
  const rows = await q.all<{ id: string; feedId: string; messages: string; submittedAt: string }>(
    `SELECT "id","feedId","messages","submittedAt" FROM "AmazonFeed" WHERE "shopId" = ? AND "channelId" = ? AND "status" = 'submitted' ORDER BY "submittedAt"`,
    shopId, channelId,
  );
  return rows.map((r) => ({ ...r, messages: JSON.parse(r.messages) as FeedMessage[] }));
}

export async function settleFeed(tx: Tx, shopId: string, id: string, status: "done" | "fatal", error: string | null, at = sqlTime()): Promise<void> {
  await tx.run(`UPDATE "AmazonFeed" SET "status" = ?, "error" = ?, "settledAt" = ? WHERE "shopId" = ? AND "id" = ?`, status, error, at, shopId, id);
}

/** Settled feeds older than `before` go (their outcome is in ChannelStock and ChannelPush), across shops. */
export async function pruneAmazonFeedsAcrossShops(tx: Tx, before: Date): Promise<number> {
  return (await tx.run(`DELETE FROM "AmazonFeed" WHERE "status" <> 'submitted' AND "submittedAt" < ?`, sqlTime(before))).changes;
}
