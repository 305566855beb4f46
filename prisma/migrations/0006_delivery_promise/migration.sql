-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RoutingRuleSet" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "rules" TEXT NOT NULL,
    "rateTable" TEXT NOT NULL,
    "promise" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" DATETIME,
    CONSTRAINT "RoutingRuleSet_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_RoutingRuleSet" ("activatedAt", "createdAt", "id", "name", "rateTable", "rules", "shopId", "status") SELECT "activatedAt", "createdAt", "id", "name", "rateTable", "rules", "shopId", "status" FROM "RoutingRuleSet";
DROP TABLE "RoutingRuleSet";
ALTER TABLE "new_RoutingRuleSet" RENAME TO "RoutingRuleSet";
CREATE INDEX "RoutingRuleSet_shopId_status_idx" ON "RoutingRuleSet"("shopId", "status");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

