-- What each channel shows of each SKU (ADR 0010). The ledger says what changed: a job reads its new entries
-- (per shop, past a cursor) and marks the SKU dirty for every channel the app pushes to; a coalescing pusher
-- then sends each dirty SKU's latest available to sell, in batches, and clears the mark only if nothing
-- marked it again meanwhile. No statement is added to the reservation's transaction.
CREATE TABLE "ChannelStock" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "channelId" TEXT NOT NULL REFERENCES "Channel" ("id") ON DELETE CASCADE,
  "variantId" TEXT NOT NULL REFERENCES "Variant" ("id") ON DELETE CASCADE,
  "dirtyAt" TEXT, -- the earliest change the channel has not been sent yet; NULL: it shows the latest figure
  "markedThrough" INTEGER NOT NULL DEFAULT 0, -- the last ledger entry that marked it
  "pushedQuantity" INTEGER, -- the available to sell the channel was last sent
  "pushedAt" TEXT,
  "attempts" INTEGER NOT NULL DEFAULT 0, -- failed pushes since the last one that went through
  "nextAttemptAt" TEXT,
  "lastError" TEXT
);
CREATE UNIQUE INDEX "ChannelStock_channelId_variantId_key" ON "ChannelStock" ("channelId", "variantId");
CREATE INDEX "ChannelStock_dirty_idx" ON "ChannelStock" ("shopId", "channelId", "dirtyAt") WHERE "dirtyAt" IS NOT NULL;

-- One row per figure a channel accepted: its lag from the change that caused it (p50/p95 per channel feed the
-- adaptive buffer and the sync-health card). Rows older than a week are deleted by the sweep.
CREATE TABLE "ChannelPush" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "channelId" TEXT NOT NULL REFERENCES "Channel" ("id") ON DELETE CASCADE,
  "variantId" TEXT NOT NULL,
  "quantity" INTEGER NOT NULL,
  "lagMs" INTEGER NOT NULL,
  "pushedAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX "ChannelPush_shopId_channelId_pushedAt_idx" ON "ChannelPush" ("shopId", "channelId", "pushedAt");

-- How far into the ledger each shop's channel marks have read.
CREATE TABLE "StockSyncCursor" (
  "shopId" TEXT NOT NULL PRIMARY KEY REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "ledgerId" INTEGER NOT NULL DEFAULT 0,
  "updatedAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The ledger read by shop past a cursor.
CREATE INDEX "InventoryLedgerEntry_shopId_id_idx" ON "InventoryLedgerEntry" ("shopId", "id");

-- What the app holds in Shopify's safety_stock state at this level (ADR 0010): the app is that state's only
-- writer, so this is the compare-and-set figure of the next move.
ALTER TABLE "InventoryLevel" ADD COLUMN "heldInShopify" INTEGER NOT NULL DEFAULT 0;
