-- A line's allocations, looked up by shop and line (every fulfillment, refund and edit does it). With only
-- ("orderLineId","status") and ("shopId","locationId","status") to choose from, SQLite's planner took the shop's
-- index and read every allocation of the shop per lookup (0.5 ms at 10,000 orders, growing with the shop): this
-- one answers the statement as it is written, shop first.
CREATE INDEX "Allocation_shopId_orderLineId_status_idx" ON "Allocation" ("shopId", "orderLineId", "status");
