-- Receipts as documents (issue 9): one row per (shop, reference) with a hash of the receipt's normalised lines.
-- The same reference with the same lines is an idempotent replay; with other lines, a conflict (409) that
-- applies nothing. Lines are ledger entries keyed receipt:<reference>:<line number> from now on.
CREATE TABLE "InventoryReceipt" (
    "shopId" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "lineCount" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shopId", "reference"),
    CONSTRAINT "InventoryReceipt_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Receipts recorded before: their lines were keyed by SKU and location, their content was not kept. Each
-- reference gets a document marked "legacy", so reusing it is a conflict rather than a second application.
INSERT INTO "InventoryReceipt" ("shopId", "reference", "contentHash", "lineCount", "createdAt")
SELECT "shopId", "refId", 'legacy', COUNT(*), MIN("createdAt")
FROM "InventoryLedgerEntry"
WHERE "refType" = 'receipt' AND "refId" IS NOT NULL
GROUP BY "shopId", "refId";
