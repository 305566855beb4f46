-- A decrease of Shopify's on hand that we applied before any shipment explained it (ADR 0008, session 14): a
-- fulfillment's webhook can arrive after Shopify's level update was read, after the recheck, even before its
-- order. The shipment it later reports takes these units first instead of taking them off on hand a second
-- time. The claim lapses at "unexplainedExpiresAt" (Shopify's retries are long over by then).
ALTER TABLE "InventoryLevel" ADD COLUMN "unexplainedDecrease" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "InventoryLevel" ADD COLUMN "unexplainedExpiresAt" TEXT;
