-- Shipments the app records for orders no outside system fulfils (issue 12: Amazon MFN, wholesale, manual; later
-- the warehouse module's pack and ship). Recording one consumes the order's reservations as a fulfillment does
-- (FulfillmentLine, keyed `shipment:<id>`), lowers Shopify's on hand through the StockPush outbox, and leaves the
-- channel to be told: Amazon's confirmShipment, a wholesale buyer's 856 and 810. `channelStatus` is that follow-up.
CREATE TABLE "Shipment" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "orderId" TEXT NOT NULL REFERENCES "Order" ("id") ON DELETE CASCADE,
  "externalId" TEXT NOT NULL, -- the shipment's natural key within its order: the caller's id, else carrier + tracking
  "locationId" TEXT REFERENCES "Location" ("id") ON DELETE SET NULL,
  "carrier" TEXT NOT NULL,
  "service" TEXT,
  "trackingNumber" TEXT,
  "lines" TEXT NOT NULL, -- JSON: [{ lineExternalId, sku, quantity }]
  "cartons" TEXT NOT NULL DEFAULT '[]', -- JSON: [{ id, trackingNumber, lines: [{ lineExternalId, quantity }] }]
  "contentHash" TEXT NOT NULL, -- the same id with another content is refused, not applied twice
  "shippedAt" TEXT NOT NULL,
  "channelStatus" TEXT NOT NULL, -- pending | confirmed | failed | none (the channel needs telling nothing)
  "channelAttempts" INTEGER NOT NULL DEFAULT 0,
  "channelError" TEXT,
  "channelConfirmedAt" TEXT,
  "createdAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "Shipment_shopId_orderId_externalId_key" ON "Shipment" ("shopId", "orderId", "externalId");
CREATE INDEX "Shipment_shopId_channelStatus_idx" ON "Shipment" ("shopId", "channelStatus");
