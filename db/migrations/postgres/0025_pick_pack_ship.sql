-- Pick, pack, ship (issue 13 item 6, ADR 0033). A wave of routed orders at a managed location is released into
-- pick tasks (one per cart batch), each with its lines in the order of the drawn route. A pick moves units from a
-- storage bin into the location's staging bin; packing verifies the picked units by scan and records packages,
-- carrier and tracking; shipping consumes the staging bin and creates the fulfillment in the channel.
CREATE TABLE "PickTask" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "locationId" TEXT NOT NULL REFERENCES "Location" ("id") ON DELETE CASCADE,
  "wave" INTEGER NOT NULL, -- the wave's number in its release (1 = the first cut-off)
  "cutoffAt" TIMESTAMPTZ(3), -- the carrier cut-off the wave must make (NULL: no cut-off)
  "status" TEXT NOT NULL DEFAULT 'open', -- open | done
  "routeLengthM" DOUBLE PRECISION NOT NULL,
  "routeAlgorithm" TEXT NOT NULL,
  "routeExact" INTEGER NOT NULL DEFAULT 0,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "doneAt" TIMESTAMPTZ(3)
);
CREATE INDEX "PickTask_shopId_locationId_status_idx" ON "PickTask" ("shopId", "locationId", "status");

-- One line of a pick task: units of one order line to take from one bin (and lot), in route order (seq).
-- picked + short never exceeds quantity (compare-and-set on picked, app/.server/db/picking-sql.ts).
CREATE TABLE "PickLine" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "taskId" TEXT NOT NULL REFERENCES "PickTask" ("id") ON DELETE CASCADE,
  "seq" INTEGER NOT NULL,
  "orderId" TEXT NOT NULL,
  "orderLineId" TEXT NOT NULL,
  "variantId" TEXT NOT NULL,
  "binId" TEXT NOT NULL REFERENCES "WarehouseBin" ("id"),
  "lot" TEXT NOT NULL DEFAULT '',
  "quantity" INTEGER NOT NULL,
  "picked" INTEGER NOT NULL DEFAULT 0,
  "short" INTEGER NOT NULL DEFAULT 0,
  "status" TEXT NOT NULL DEFAULT 'open', -- open | picked | short
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX "PickLine_shopId_taskId_seq_idx" ON "PickLine" ("shopId", "taskId", "seq");
CREATE INDEX "PickLine_shopId_orderId_idx" ON "PickLine" ("shopId", "orderId");

-- A confirmed pick scan: the handheld's scan id makes it once (sent twice or by two workers, applied once).
CREATE TABLE "PickScan" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "pickLineId" TEXT NOT NULL REFERENCES "PickLine" ("id") ON DELETE CASCADE,
  "scanId" TEXT NOT NULL,
  "quantity" INTEGER NOT NULL,
  "worker" TEXT,
  "scannedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "PickScan_shopId_pickLineId_scanId_key" ON "PickScan" ("shopId", "pickLineId", "scanId");

-- A short pick: fewer units in the bin than the line needs. The unpicked units were re-routed (or backordered)
-- and a count of the bin requested; one per pick line.
CREATE TABLE "PickException" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "pickLineId" TEXT NOT NULL REFERENCES "PickLine" ("id") ON DELETE CASCADE,
  "orderId" TEXT NOT NULL,
  "locationId" TEXT NOT NULL,
  "binId" TEXT NOT NULL,
  "variantId" TEXT NOT NULL,
  "shortQuantity" INTEGER NOT NULL,
  "unitsRerouted" INTEGER NOT NULL DEFAULT 0,
  "unitsBackordered" INTEGER NOT NULL DEFAULT 0,
  "countIds" TEXT NOT NULL DEFAULT '[]',
  "worker" TEXT,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "PickException_shopId_pickLineId_key" ON "PickException" ("shopId", "pickLineId");

-- Packing an order's picked units at a location, then its shipment: packing → packed → shipped.
CREATE TABLE "Pack" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "orderId" TEXT NOT NULL,
  "locationId" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'packing', -- packing | packed | shipped
  "worker" TEXT,
  "carrier" TEXT,
  "service" TEXT,
  "trackingNumber" TEXT,
  "packages" TEXT NOT NULL DEFAULT '[]', -- [{ weightGrams, lengthCm?, widthCm?, heightCm? }]
  "firstScanAt" TIMESTAMPTZ(3),
  "packedAt" TIMESTAMPTZ(3),
  "shippedAt" TIMESTAMPTZ(3),
  "fulfillmentId" TEXT, -- the channel's fulfillment (Shopify's legacy id) or our shipment id
  "error" TEXT,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "Pack_shopId_orderId_locationId_key" ON "Pack" ("shopId", "orderId", "locationId");

-- A unit verified at packing (by scanning its SKU), once per scan id.
CREATE TABLE "PackScan" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "packId" TEXT NOT NULL REFERENCES "Pack" ("id") ON DELETE CASCADE,
  "scanId" TEXT NOT NULL,
  "variantId" TEXT NOT NULL,
  "quantity" INTEGER NOT NULL,
  "scannedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "PackScan_shopId_packId_scanId_key" ON "PackScan" ("shopId", "packId", "scanId");
