-- Labour (issue 13): every warehouse scan is an event with its worker and time — a receiving scan, a putaway
-- confirmed, a pick confirmed, an order packed or shipped, a bin counted. The Warehouse dashboard's picks/hour,
-- lines/hour, pack time and receiving throughput per worker and day are read from here. Unique on the natural
-- key of the effect (the scan, pick or count it records), so a retried request records nothing twice.
CREATE TABLE "LabourEvent" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "locationId" TEXT NOT NULL,
  "worker" TEXT NOT NULL, -- who scanned ('unknown' when the device did not say)
  "kind" TEXT NOT NULL, -- receive | putaway | pick | pack | ship | count
  "naturalKey" TEXT NOT NULL, -- e.g. pick:<pickLineId>, receive:<purchaseOrderId>:<scanId>
  "lines" INTEGER NOT NULL DEFAULT 1, -- lines this event completes (a pick line, a PO line scan, a bin count)
  "units" INTEGER NOT NULL DEFAULT 0,
  "durationMs" INTEGER, -- when the work had a measured start (packing: first item verified → package closed)
  "occurredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "LabourEvent_shopId_naturalKey_key" ON "LabourEvent" ("shopId", "naturalKey");
CREATE INDEX "LabourEvent_shopId_locationId_occurredAt_idx" ON "LabourEvent" ("shopId", "locationId", "occurredAt");
