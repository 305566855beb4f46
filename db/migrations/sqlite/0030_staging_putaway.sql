-- Putting units back from the staging bin (ADR 0033, "Cancelled while picking or packed"): a putaway records the
-- bin its units are taken from. NULL: the receiving bin (every putaway before this migration, and every receipt);
-- otherwise the bin named (the staging bin, for the picked units of a cancelled order). One open putaway per
-- (location, source, SKU, lot): received units join the receiving one, returned units the staging one.
-- No schema change is needed for the rest: "PickLine"."status" and "Pack"."status" (TEXT) also take 'cancelled'.
ALTER TABLE "Putaway" ADD COLUMN "sourceBinId" TEXT REFERENCES "WarehouseBin" ("id");
DROP INDEX "Putaway_open_key";
CREATE UNIQUE INDEX "Putaway_open_key" ON "Putaway" ("shopId", "locationId", "variantId", "lot") WHERE "status" = 'open' AND "sourceBinId" IS NULL;
CREATE UNIQUE INDEX "Putaway_open_source_key" ON "Putaway" ("shopId", "locationId", "sourceBinId", "variantId", "lot") WHERE "status" = 'open' AND "sourceBinId" IS NOT NULL;
