-- Cycle counts (issue 13, item 7; ADR 0034). A count task for one bin of a managed location: opened by the ABC
-- schedule, a short pick, a bin emptied by a move, by hand or by a Flow action. The worker counts blind (the
-- expected quantity is never shown); the submitted lines wait for approval, and only an approved count moves stock
-- (a bin ledger row and an on-hand ledger row per line with a variance, reason 'counted'). One open task per bin.
CREATE TABLE "CycleCount" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "locationId" TEXT NOT NULL REFERENCES "Location" ("id") ON DELETE CASCADE,
  "binId" TEXT NOT NULL REFERENCES "WarehouseBin" ("id") ON DELETE CASCADE,
  "focusVariantId" TEXT, -- the SKU that triggered it (a short pick), shown to the worker; the count covers the whole bin
  "reason" TEXT NOT NULL, -- short_pick | empty_bin | scheduled | manual | flow
  "status" TEXT NOT NULL DEFAULT 'open', -- open | counted | approved | declined | recounted
  "assignedTo" TEXT,
  "countedBy" TEXT,
  "submissionId" TEXT, -- the handheld's key for the submission: sent twice, recorded once
  "countedAt" TIMESTAMPTZ(3),
  "decidedBy" TEXT,
  "decidedAt" TIMESTAMPTZ(3),
  "recountOfId" TEXT,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "CycleCount_open_key" ON "CycleCount" ("shopId", "binId") WHERE "status" = 'open';
CREATE INDEX "CycleCount_shopId_locationId_status_idx" ON "CycleCount" ("shopId", "locationId", "status");
CREATE INDEX "CycleCount_shopId_binId_countedAt_idx" ON "CycleCount" ("shopId", "binId", "countedAt");

-- What opened a count: (source key, bin) is recorded once, so a trigger sent twice (a retried short pick, the
-- schedule run again the same day) opens nothing new; a trigger meeting an open count of the bin joins it.
CREATE TABLE "CycleCountTrigger" (
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "sourceKey" TEXT NOT NULL,
  "binId" TEXT NOT NULL,
  "cycleCountId" TEXT NOT NULL REFERENCES "CycleCount" ("id") ON DELETE CASCADE,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "CycleCountTrigger_shopId_sourceKey_binId_key" ON "CycleCountTrigger" ("shopId", "sourceKey", "binId");

-- A submitted count per SKU and lot: what the worker counted and what the bin held at submission (expected, never
-- shown on the handheld). The variance counted − expected is what approval applies, as a delta.
CREATE TABLE "CycleCountLine" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "cycleCountId" TEXT NOT NULL REFERENCES "CycleCount" ("id") ON DELETE CASCADE,
  "variantId" TEXT NOT NULL REFERENCES "Variant" ("id") ON DELETE CASCADE,
  "lot" TEXT NOT NULL DEFAULT '',
  "expected" INTEGER NOT NULL,
  "counted" INTEGER NOT NULL
);
CREATE UNIQUE INDEX "CycleCountLine_cycleCountId_variantId_lot_key" ON "CycleCountLine" ("cycleCountId", "variantId", "lot");
