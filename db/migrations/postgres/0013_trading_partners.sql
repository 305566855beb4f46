-- Wholesale trading partners (issue 12, ADR 0017). A partner is a buyer that sends purchase orders (X12 850 or a
-- CSV) and may expect documents back (855 acknowledgement, 856 ship notice, 810 invoice). Each partner has its own
-- wholesale Channel, so its orders are idempotent on (channel, PO number) without colliding with another buyer's
-- PO numbers, and so a merchant can choose which locations serve it.
CREATE TABLE "TradingPartner" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "channelId" TEXT NOT NULL REFERENCES "Channel" ("id") ON DELETE CASCADE,
  "code" TEXT NOT NULL, -- short id merchants and the API use (?partner=ACME)
  "name" TEXT NOT NULL,
  "currency" TEXT NOT NULL,
  "isaQualifier" TEXT, -- the partner's interchange id (ISA05/06 on what it sends), when it trades by X12
  "isaId" TEXT,
  "gsId" TEXT, -- the partner's application id (GS02 on what it sends)
  "ourIsaQualifier" TEXT, -- ours as the partner knows us (ISA07/08, GS03 on what it sends)
  "ourIsaId" TEXT,
  "ourGsId" TEXT,
  "x12Version" TEXT NOT NULL DEFAULT '004010', -- the version our documents to it are written in
  "usage" TEXT NOT NULL DEFAULT 'P', -- ISA15 on what we send: P production | T test
  "documents" TEXT NOT NULL DEFAULT '[]', -- JSON: which documents it wants back, of 855 | 856 | 810
  "interchangeControl" INTEGER NOT NULL DEFAULT 0, -- the last ISA13 we sent it
  "groupControl" INTEGER NOT NULL DEFAULT 0, -- the last GS06 we sent it
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "TradingPartner_shopId_code_key" ON "TradingPartner" ("shopId", "code");
CREATE UNIQUE INDEX "TradingPartner_channelId_key" ON "TradingPartner" ("channelId");
CREATE UNIQUE INDEX "TradingPartner_shopId_isa_key" ON "TradingPartner" ("shopId", "isaQualifier", "isaId");

-- What a partner buys: its part number for our SKU and its agreed unit price (its price list). A PO line naming
-- the buyer's part number is mapped to the SKU here; a line without a price takes the list price.
CREATE TABLE "PartnerItem" (
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "partnerId" TEXT NOT NULL REFERENCES "TradingPartner" ("id") ON DELETE CASCADE,
  "sku" TEXT NOT NULL,
  "buyerPartNumber" TEXT,
  "unitPriceMinor" BIGINT, -- null: no agreed price
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("partnerId", "sku")
);
CREATE UNIQUE INDEX "PartnerItem_partnerId_buyerPartNumber_key" ON "PartnerItem" ("partnerId", "buyerPartNumber");

-- EDI documents exchanged with a partner: what came in (850, kept beside the import) and what we sent (997, 855,
-- 856, 810), each kept whole and downloadable. `documentKey` is the natural key of the effect (the PO number for
-- an 855 or 810, the shipment for an 856, the interchange for a 997), so producing a document twice keeps one.
CREATE TABLE "EdiDocument" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "partnerId" TEXT NOT NULL REFERENCES "TradingPartner" ("id") ON DELETE CASCADE,
  "direction" TEXT NOT NULL, -- in | out
  "type" TEXT NOT NULL, -- 850 | 997 | 855 | 856 | 810
  "documentKey" TEXT NOT NULL,
  "orderId" TEXT REFERENCES "Order" ("id") ON DELETE SET NULL,
  "importId" TEXT REFERENCES "Import" ("id") ON DELETE SET NULL,
  "interchangeControl" INTEGER, -- ISA13
  "content" TEXT NOT NULL, -- the X12 text
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "EdiDocument_partnerId_direction_type_documentKey_key" ON "EdiDocument" ("partnerId", "direction", "type", "documentKey");
CREATE INDEX "EdiDocument_shopId_createdAt_idx" ON "EdiDocument" ("shopId", "createdAt");
CREATE INDEX "EdiDocument_shopId_orderId_idx" ON "EdiDocument" ("shopId", "orderId");
