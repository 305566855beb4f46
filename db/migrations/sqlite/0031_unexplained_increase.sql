-- An increase of Shopify's on hand that we applied before the webhook explaining it was processed (ADR 0008,
-- session 20): Shopify restocks a cancelled fulfillment or a refund's returned units at once, and a reading of its
-- level (an inventory_levels/update, a refused write-back) can come before fulfillments/update or refunds/create.
-- That restock then claims these units instead of adding them a second time. Lapses at
-- "unexplainedIncreaseExpiresAt", like the decrease's claim.
ALTER TABLE "InventoryLevel" ADD COLUMN "unexplainedIncrease" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "InventoryLevel" ADD COLUMN "unexplainedIncreaseExpiresAt" TEXT;
