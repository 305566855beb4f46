-- AlterTable
ALTER TABLE "InventoryLevel" ADD COLUMN "recheckAfter" DATETIME;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN "externalTriggeredAt" DATETIME;

-- CreateTable
CREATE TABLE "FulfillmentLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "fulfillmentExternalId" TEXT NOT NULL,
    "lineExternalId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "pieces" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "FulfillmentLine_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "FulfillmentLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RefundLine" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "refundExternalId" TEXT NOT NULL,
    "refundLineExternalId" TEXT NOT NULL,
    "lineExternalId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "restockType" TEXT NOT NULL,
    "locationId" TEXT,
    "effect" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RefundLine_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "RefundLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "FulfillmentLine_shopId_orderId_idx" ON "FulfillmentLine"("shopId", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "FulfillmentLine_shopId_fulfillmentExternalId_lineExternalId_key" ON "FulfillmentLine"("shopId", "fulfillmentExternalId", "lineExternalId");

-- CreateIndex
CREATE INDEX "RefundLine_shopId_orderId_idx" ON "RefundLine"("shopId", "orderId");

-- CreateIndex
CREATE UNIQUE INDEX "RefundLine_shopId_refundExternalId_refundLineExternalId_key" ON "RefundLine"("shopId", "refundExternalId", "refundLineExternalId");

-- CreateIndex
CREATE INDEX "InventoryLevel_recheckAfter_idx" ON "InventoryLevel"("recheckAfter");

