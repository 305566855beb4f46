-- Returns (issue 14, ADR 0027): the shop's return policy with its RMA counter, return requests (RMAs) with their
-- lines, receiving location, label and Shopify mirror. The timeline is the AuditEvent rows of subject `return`.
CREATE TABLE "ReturnPolicy" (
  "shopId" TEXT NOT NULL PRIMARY KEY REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "policy" TEXT NOT NULL, -- JSON: app/domain/returns/policy.ts
  "nextNumber" INTEGER NOT NULL DEFAULT 1001, -- the RMA counter: R1001, R1002, …
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

CREATE TABLE "ReturnRequest" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "orderId" TEXT NOT NULL REFERENCES "Order" ("id") ON DELETE CASCADE,
  "number" TEXT NOT NULL,
  "requestKey" TEXT NOT NULL, -- hash of the natural key (order + lines + quantities): the same request twice is one RMA
  "status" TEXT NOT NULL, -- requested | approved | declined | in_transit | received | inspected | refunded | exchanged | closed
  "source" TEXT NOT NULL, -- portal | customer_account | admin
  "note" TEXT,
  "locationId" TEXT REFERENCES "Location" ("id") ON DELETE SET NULL, -- where it is to be received
  "locationReason" TEXT,
  "labelCarrier" TEXT,
  "labelTracking" TEXT,
  "labelPdf" TEXT, -- base64
  "labelIssuedAt" TIMESTAMPTZ(3),
  "replacementOrderId" TEXT REFERENCES "Order" ("id") ON DELETE SET NULL, -- an exchange's replacement, reserved at approval
  "exchangeExpiresAt" TIMESTAMPTZ(3), -- released when the return has not arrived by then
  "shopifyReturnId" TEXT,
  "shopifySync" TEXT NOT NULL DEFAULT 'none', -- none | pending | synced | failed
  "shopifyStep" TEXT NOT NULL DEFAULT 'none', -- how far Shopify's copy got: none | requested | approved | declined | processed
  "shopifyLines" TEXT NOT NULL DEFAULT '[]', -- JSON: Shopify's return line items [{ id, lineItem, quantity }] (returnProcess names them)
  "shopifyError" TEXT,
  "shopifyClaimedAt" TIMESTAMPTZ(3), -- a mirror job is working on it (one at a time per RMA; a claim older than 5 minutes is taken over)
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "ReturnRequest_shopId_number_key" ON "ReturnRequest" ("shopId", "number");
CREATE UNIQUE INDEX "ReturnRequest_shopId_requestKey_key" ON "ReturnRequest" ("shopId", "requestKey");
CREATE INDEX "ReturnRequest_shopId_status_createdAt_idx" ON "ReturnRequest" ("shopId", "status", "createdAt");
CREATE INDEX "ReturnRequest_shopId_orderId_idx" ON "ReturnRequest" ("shopId", "orderId");
CREATE INDEX "ReturnRequest_exchangeExpiresAt_idx" ON "ReturnRequest" ("exchangeExpiresAt");

CREATE TABLE "ReturnLine" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "returnId" TEXT NOT NULL REFERENCES "ReturnRequest" ("id") ON DELETE CASCADE,
  "orderLineId" TEXT NOT NULL REFERENCES "OrderLine" ("id") ON DELETE CASCADE,
  "variantId" TEXT REFERENCES "Variant" ("id") ON DELETE SET NULL,
  "sku" TEXT,
  "title" TEXT NOT NULL,
  "quantity" INTEGER NOT NULL,
  "reason" TEXT NOT NULL,
  "condition" TEXT NOT NULL,
  "replacementVariantId" TEXT REFERENCES "Variant" ("id") ON DELETE SET NULL,
  "receivedQuantity" INTEGER NOT NULL DEFAULT 0,
  "disposition" TEXT, -- restock | qc_hold | refurbish | scrap (at receipt)
  "heldQuantity" INTEGER NOT NULL DEFAULT 0, -- on QC hold: not on hand, not available
  "restockedQuantity" INTEGER NOT NULL DEFAULT 0,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "ReturnLine_returnId_orderLineId_key" ON "ReturnLine" ("returnId", "orderLineId");
CREATE INDEX "ReturnLine_shopId_orderLineId_idx" ON "ReturnLine" ("shopId", "orderLineId");

-- Product tags (final sale, excluded from returns): JSON array.
ALTER TABLE "Product" ADD COLUMN "tags" TEXT NOT NULL DEFAULT '[]';
