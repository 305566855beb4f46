-- DropIndex
DROP INDEX "OrderLine_shopId_idx";

-- DropIndex
DROP INDEX "Allocation_orderLineId_idx";

-- AlterTable
ALTER TABLE "Order" ADD COLUMN "promisedBy" TEXT;

-- AlterTable
ALTER TABLE "Allocation" ADD COLUMN "decisionId" TEXT;

-- CreateTable
CREATE TABLE "RoutingRuleSet" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "rules" TEXT NOT NULL,
    "rateTable" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "activatedAt" DATETIME,
    CONSTRAINT "RoutingRuleSet_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RoutingDecision" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "ruleSetId" TEXT,
    "method" TEXT NOT NULL,
    "decidedBy" TEXT NOT NULL,
    "totalCostMinor" INTEGER NOT NULL,
    "shipments" INTEGER NOT NULL,
    "unitsAllocated" INTEGER NOT NULL,
    "unitsBackordered" INTEGER NOT NULL,
    "meetsPromise" BOOLEAN,
    "explanation" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "dispatchedAt" DATETIME,
    CONSTRAINT "RoutingDecision_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "SyncState" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "SyncState_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LocationLoad" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "orders" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "LocationLoad_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "RoutingRuleSet_shopId_status_idx" ON "RoutingRuleSet"("shopId", "status");

-- CreateIndex
CREATE INDEX "RoutingDecision_shopId_orderId_createdAt_idx" ON "RoutingDecision"("shopId", "orderId", "createdAt");

-- CreateIndex
CREATE INDEX "RoutingDecision_dispatchedAt_createdAt_idx" ON "RoutingDecision"("dispatchedAt", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "SyncState_shopId_key_key" ON "SyncState"("shopId", "key");

-- CreateIndex
CREATE INDEX "LocationLoad_shopId_day_idx" ON "LocationLoad"("shopId", "day");

-- CreateIndex
CREATE UNIQUE INDEX "LocationLoad_locationId_day_key" ON "LocationLoad"("locationId", "day");

-- CreateIndex
CREATE INDEX "InventoryLevel_shopId_variantId_idx" ON "InventoryLevel"("shopId", "variantId");

-- CreateIndex
CREATE INDEX "OrderLine_shopId_orderId_idx" ON "OrderLine"("shopId", "orderId");

-- CreateIndex
CREATE INDEX "OrderLine_shopId_variantId_idx" ON "OrderLine"("shopId", "variantId");

-- CreateIndex
CREATE INDEX "Allocation_orderLineId_status_idx" ON "Allocation"("orderLineId", "status");

-- CreateIndex
CREATE INDEX "AuditEvent_shopId_subjectType_subjectId_idx" ON "AuditEvent"("shopId", "subjectType", "subjectId");

