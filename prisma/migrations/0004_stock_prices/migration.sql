-- CreateTable
CREATE TABLE "StockPricePlan" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "version" INTEGER NOT NULL DEFAULT 1,
    "prices" TEXT NOT NULL,
    "stats" TEXT NOT NULL DEFAULT '{}',
    "computedAt" DATETIME NOT NULL,
    CONSTRAINT "StockPricePlan_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

