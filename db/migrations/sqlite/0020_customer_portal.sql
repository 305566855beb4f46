-- The customer portal (issue 14, ADR 0026): what a customer may see of their order through the app proxy.
-- The carrier and tracking of each fulfillment a channel reports (Shopify's fulfillments/create|update), kept so
-- the portal can link to it; the latest payload wins.
CREATE TABLE "FulfillmentTracking" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "orderId" TEXT NOT NULL REFERENCES "Order" ("id") ON DELETE CASCADE,
  "fulfillmentExternalId" TEXT NOT NULL,
  "company" TEXT,
  "numbers" TEXT NOT NULL DEFAULT '[]', -- JSON array
  "urls" TEXT NOT NULL DEFAULT '[]', -- JSON array (http and https only)
  "shippedAt" TEXT,
  "updatedAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "FulfillmentTracking_shopId_fulfillmentExternalId_key" ON "FulfillmentTracking" ("shopId", "fulfillmentExternalId");
CREATE INDEX "FulfillmentTracking_shopId_orderId_idx" ON "FulfillmentTracking" ("shopId", "orderId");

-- Order lookups are counted per client and per order number in fixed windows, so guessing is throttled (429).
CREATE TABLE "PortalThrottle" (
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "bucket" TEXT NOT NULL, -- client:<address> | order:<number>
  "windowAt" TEXT NOT NULL, -- the start of the window
  "count" INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY ("shopId", "bucket", "windowAt")
);

-- A customer names their order by its number (#1001): found by shop and name.
CREATE INDEX "Order_shopId_name_idx" ON "Order" ("shopId", "name");
