-- The app's own on-hand changes, to be written to Shopify (ADR 0008): one row per ledger entry that changed on
-- hand in the app (a receipt line, later a count or a return), keyed by that entry's natural key, written in the
-- same transaction as the entry. A job coalesces a level's pending rows into one compare-and-set
-- (inventorySetQuantities, changeFromQuantity, @idempotent): before calling Shopify it records the batch on the
-- rows (status 'sending', its key, from and to), so a retry re-sends exactly that batch first.
CREATE TABLE "StockPush" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "variantId" TEXT NOT NULL REFERENCES "Variant" ("id") ON DELETE CASCADE,
  "locationId" TEXT NOT NULL REFERENCES "Location" ("id") ON DELETE CASCADE,
  "idempotencyKey" TEXT NOT NULL, -- the ledger entry's key
  "delta" INTEGER NOT NULL,
  "reason" TEXT NOT NULL, -- Shopify's reason code: received, restock, correction, …
  "referenceUri" TEXT, -- our document, e.g. oms://receipt/<reference>
  "status" TEXT NOT NULL DEFAULT 'pending', -- pending | sending | sent | skipped (no Shopify inventory item to write to)
  "batchKey" TEXT,
  "changeFrom" INTEGER,
  "quantityTo" INTEGER,
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "lastError" TEXT,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "sentAt" TIMESTAMPTZ(3)
);
CREATE UNIQUE INDEX "StockPush_shopId_idempotencyKey_key" ON "StockPush" ("shopId", "idempotencyKey");
CREATE INDEX "StockPush_open_idx" ON "StockPush" ("shopId", "variantId", "locationId", "createdAt") WHERE "status" = 'pending' OR "status" = 'sending';
CREATE INDEX "StockPush_open_age_idx" ON "StockPush" ("createdAt") WHERE "status" = 'pending' OR "status" = 'sending';
CREATE INDEX "StockPush_level_sent_idx" ON "StockPush" ("shopId", "variantId", "locationId", "sentAt");

-- The install sync's stock import maps each page of Shopify levels to our variants by inventory item.
CREATE INDEX "Variant_shopId_inventoryItemExternalId_idx" ON "Variant" ("shopId", "inventoryItemExternalId");
