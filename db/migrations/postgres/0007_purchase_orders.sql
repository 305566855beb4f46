-- Purchase orders (issue 11): units ordered from a supplier for one location, expected on a date. A level's
-- incoming is derived from them: Σ over the open orders' lines of max(0, ordered − received), recomputed from
-- these rows in the transaction that changes them (never incremented blindly) and stored on InventoryLevel for
-- fast reads, with the earliest expected date of what is still to come (the pre-order promise). Each change of
-- incoming is a ledger entry (bucket 'incoming'), so channels selling pre-orders are marked like any stock change.
CREATE TABLE "PurchaseOrder" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "number" TEXT NOT NULL, -- the merchant's (or the ERP's) number, unique per shop
  "supplier" TEXT NOT NULL,
  "locationId" TEXT NOT NULL REFERENCES "Location" ("id") ON DELETE CASCADE, -- where it is delivered
  "status" TEXT NOT NULL DEFAULT 'open', -- draft | open | received | cancelled
  "expectedAt" TIMESTAMPTZ(3) NOT NULL,
  "openedAt" TIMESTAMPTZ(3),
  "receivedAt" TIMESTAMPTZ(3),
  "cancelledAt" TIMESTAMPTZ(3),
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "PurchaseOrder_shopId_number_key" ON "PurchaseOrder" ("shopId", "number");
CREATE INDEX "PurchaseOrder_shopId_status_idx" ON "PurchaseOrder" ("shopId", "status", "id");

-- One line per SKU of an order: what was ordered and, so far, received (over-receipt kept: received > ordered).
CREATE TABLE "PurchaseOrderLine" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "purchaseOrderId" TEXT NOT NULL REFERENCES "PurchaseOrder" ("id") ON DELETE CASCADE,
  "lineNumber" INTEGER NOT NULL,
  "variantId" TEXT NOT NULL REFERENCES "Variant" ("id") ON DELETE CASCADE,
  "ordered" INTEGER NOT NULL,
  "received" INTEGER NOT NULL DEFAULT 0,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "PurchaseOrderLine_purchaseOrderId_lineNumber_key" ON "PurchaseOrderLine" ("purchaseOrderId", "lineNumber");
CREATE UNIQUE INDEX "PurchaseOrderLine_purchaseOrderId_variantId_key" ON "PurchaseOrderLine" ("purchaseOrderId", "variantId");
CREATE INDEX "PurchaseOrderLine_shopId_variantId_idx" ON "PurchaseOrderLine" ("shopId", "variantId");

-- What each receipt line counted against an order line, keyed by the receipt's natural key (shop, reference,
-- line number): a receipt posted again adds nothing to received. The warehouse's receiving (scans, over / short /
-- damaged) writes here too.
CREATE TABLE "PurchaseOrderReceipt" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "purchaseOrderId" TEXT NOT NULL REFERENCES "PurchaseOrder" ("id") ON DELETE CASCADE,
  "purchaseOrderLineId" TEXT NOT NULL REFERENCES "PurchaseOrderLine" ("id") ON DELETE CASCADE,
  "receiptReference" TEXT NOT NULL,
  "receiptLine" INTEGER NOT NULL,
  "quantity" INTEGER NOT NULL,
  "overReceived" INTEGER NOT NULL DEFAULT 0, -- units of this receipt beyond what the line still expected
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "PurchaseOrderReceipt_shopId_receiptReference_receiptLine_key" ON "PurchaseOrderReceipt" ("shopId", "receiptReference", "receiptLine");
CREATE INDEX "PurchaseOrderReceipt_purchaseOrderId_idx" ON "PurchaseOrderReceipt" ("purchaseOrderId");

-- The earliest expected date of the level's incoming units (NULL: none incoming), stored with incoming.
ALTER TABLE "InventoryLevel" ADD COLUMN "incomingExpectedAt" TIMESTAMPTZ(3);
