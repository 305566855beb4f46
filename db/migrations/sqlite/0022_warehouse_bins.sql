-- Warehouse layout and bins (issue 13, ADR 0029). A location is managed by the warehouse module once it has a
-- row here: its geometry (parallel aisles, cross aisles, depot; app/domain/warehouse/layout.ts) and, from then on,
-- its on hand is the sum of its bins. Middle cross aisles are a JSON array of metres.
CREATE TABLE "Warehouse" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "locationId" TEXT NOT NULL REFERENCES "Location" ("id") ON DELETE CASCADE,
  "aisles" INTEGER NOT NULL,
  "aisleLengthM" DOUBLE PRECISION NOT NULL,
  "aisleSpacingM" DOUBLE PRECISION NOT NULL,
  "crossAisles" TEXT NOT NULL DEFAULT '[]',
  "depotAisle" INTEGER NOT NULL DEFAULT 0,
  "depotYM" DOUBLE PRECISION NOT NULL DEFAULT 0,
  "generator" TEXT, -- the numbers the layout was generated from (JSON), NULL when bins were imported
  "managedAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updatedAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "Warehouse_shopId_locationId_key" ON "Warehouse" ("shopId", "locationId");

-- A bin: addressed aisle-bay-level-side (A03-12-2-L), at (aisle, yM) on the aisle's centre line, holding up to
-- capacity units. Each managed location has one receiving bin (kind 'receiving', at the depot, no capacity).
CREATE TABLE "WarehouseBin" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "locationId" TEXT NOT NULL REFERENCES "Location" ("id") ON DELETE CASCADE,
  "code" TEXT NOT NULL,
  "kind" TEXT NOT NULL DEFAULT 'storage', -- storage | receiving
  "zone" TEXT NOT NULL DEFAULT 'MAIN',
  "aisle" INTEGER NOT NULL,
  "bay" INTEGER NOT NULL DEFAULT 0,
  "level" INTEGER NOT NULL DEFAULT 0,
  "side" TEXT NOT NULL DEFAULT '',
  "yM" DOUBLE PRECISION NOT NULL,
  "capacity" INTEGER, -- units; NULL: unlimited (the receiving bin)
  "createdAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "WarehouseBin_shopId_locationId_code_key" ON "WarehouseBin" ("shopId", "locationId", "code");

-- Units of a SKU and lot ('' = no lot) in a bin, with the lot's expiry. Never negative, never over capacity
-- (guarded statements in app/.server/db/warehouse-sql.ts).
CREATE TABLE "BinStock" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "binId" TEXT NOT NULL REFERENCES "WarehouseBin" ("id") ON DELETE CASCADE,
  "variantId" TEXT NOT NULL REFERENCES "Variant" ("id") ON DELETE CASCADE,
  "lot" TEXT NOT NULL DEFAULT '',
  "expiresAt" TEXT,
  "quantity" INTEGER NOT NULL DEFAULT 0,
  "updatedAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "BinStock_binId_variantId_lot_key" ON "BinStock" ("binId", "variantId", "lot");
CREATE INDEX "BinStock_shopId_variantId_idx" ON "BinStock" ("shopId", "variantId");

-- Append-only: every bin movement, keyed by the natural key of its effect (applied once).
CREATE TABLE "BinLedgerEntry" (
  "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "locationId" TEXT NOT NULL,
  "binId" TEXT NOT NULL,
  "variantId" TEXT NOT NULL,
  "lot" TEXT NOT NULL DEFAULT '',
  "delta" INTEGER NOT NULL,
  "reason" TEXT NOT NULL, -- managed | received | putaway | …
  "idempotencyKey" TEXT NOT NULL,
  "refType" TEXT,
  "refId" TEXT,
  "createdAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "BinLedgerEntry_shopId_idempotencyKey_key" ON "BinLedgerEntry" ("shopId", "idempotencyKey");
CREATE INDEX "BinLedgerEntry_shopId_binId_idx" ON "BinLedgerEntry" ("shopId", "binId");

-- A scan at receiving against a purchase order line: good units (into the receiving bin, counted received) or
-- damaged ones (recorded, not stocked). The scan id is the handheld's key for one scan: sent twice, counted once.
CREATE TABLE "ReceivingScan" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "purchaseOrderId" TEXT NOT NULL REFERENCES "PurchaseOrder" ("id") ON DELETE CASCADE,
  "purchaseOrderLineId" TEXT NOT NULL REFERENCES "PurchaseOrderLine" ("id") ON DELETE CASCADE,
  "scanId" TEXT NOT NULL,
  "condition" TEXT NOT NULL, -- good | damaged
  "quantity" INTEGER NOT NULL,
  "lot" TEXT NOT NULL DEFAULT '',
  "expiresAt" TEXT,
  "worker" TEXT,
  "createdAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "ReceivingScan_shopId_purchaseOrderId_scanId_key" ON "ReceivingScan" ("shopId", "purchaseOrderId", "scanId");
CREATE INDEX "ReceivingScan_purchaseOrderLineId_idx" ON "ReceivingScan" ("purchaseOrderLineId");

-- Putaway: units of a SKU and lot waiting in the receiving bin, the bin suggested for them, and (once the worker
-- scanned that bin) when they were moved. One open task per (location, SKU, lot): received units join it.
CREATE TABLE "Putaway" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "locationId" TEXT NOT NULL REFERENCES "Location" ("id") ON DELETE CASCADE,
  "variantId" TEXT NOT NULL REFERENCES "Variant" ("id") ON DELETE CASCADE,
  "lot" TEXT NOT NULL DEFAULT '',
  "expiresAt" TEXT,
  "quantity" INTEGER NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'open', -- open | done
  "suggestedBinId" TEXT REFERENCES "WarehouseBin" ("id") ON DELETE SET NULL,
  "binId" TEXT REFERENCES "WarehouseBin" ("id") ON DELETE SET NULL,
  "confirmedAt" TEXT,
  "createdAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updatedAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "Putaway_open_key" ON "Putaway" ("shopId", "locationId", "variantId", "lot") WHERE "status" = 'open';
CREATE INDEX "Putaway_shopId_locationId_status_idx" ON "Putaway" ("shopId", "locationId", "status");
