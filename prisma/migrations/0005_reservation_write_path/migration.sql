-- The reservation write path (ADR 0004): every reservation writes allocation and ledger rows, so each
-- index on them is paid thousands of times a second. The ledger gets rowid ids (no second b-tree on a
-- text key) and loses its (shop, variant, location) index, which put every insert on a random page; the
-- backorder queue's index becomes partial, so reserved allocations never enter it.
-- DropIndex
DROP INDEX "Allocation_shopId_status_idx";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_InventoryLedgerEntry" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shopId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "bucket" TEXT NOT NULL,
    "delta" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "refType" TEXT,
    "refId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InventoryLedgerEntry_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "InventoryLedgerEntry_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "Variant" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "InventoryLedgerEntry_locationId_fkey" FOREIGN KEY ("locationId") REFERENCES "Location" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Text ids become rowids, numbered in the order the entries were written.
INSERT INTO "new_InventoryLedgerEntry" ("bucket", "createdAt", "delta", "idempotencyKey", "locationId", "reason", "refId", "refType", "shopId", "variantId") SELECT "bucket", "createdAt", "delta", "idempotencyKey", "locationId", "reason", "refId", "refType", "shopId", "variantId" FROM "InventoryLedgerEntry" ORDER BY "createdAt", "id";
DROP TABLE "InventoryLedgerEntry";
ALTER TABLE "new_InventoryLedgerEntry" RENAME TO "InventoryLedgerEntry";
CREATE UNIQUE INDEX "InventoryLedgerEntry_shopId_idempotencyKey_key" ON "InventoryLedgerEntry"("shopId", "idempotencyKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Partial index (Prisma cannot declare it; see the comment on model Allocation).
CREATE INDEX "Allocation_backordered_idx" ON "Allocation"("shopId") WHERE "status" = 'backordered';
