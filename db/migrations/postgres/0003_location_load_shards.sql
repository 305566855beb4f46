-- A location's daily load as a sharded counter: each order counts on one of several rows of its location's
-- day (chosen from its routing decision), read back as their sum. On PostgreSQL every reservation used to
-- update the same row per location and day, so every order routed there waited for the previous one's
-- commit (a row lock held to the end of the transaction); spread over shards they rarely meet. SQLite has
-- one writer and uses shard 0 only.
ALTER TABLE "LocationLoad" ADD COLUMN "shard" INTEGER NOT NULL DEFAULT 0;
DROP INDEX "LocationLoad_locationId_day_key";
CREATE UNIQUE INDEX "LocationLoad_locationId_day_shard_key" ON "LocationLoad" ("locationId", "day", "shard");
