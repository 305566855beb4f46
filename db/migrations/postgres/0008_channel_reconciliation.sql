-- Channel reconciliation (ADR 0013): a scheduled job reads back what each channel shows, a slice of SKUs per
-- run (the least recently checked first), and compares it with what the app last set there.
ALTER TABLE "ChannelStock" ADD COLUMN "checkedAt" TIMESTAMPTZ(3); -- when reconciliation last read the channel's figure

-- Each difference found: repaired at once (the channel could sell what is not there, or the figure is the app's
-- alone), or watched until it persists (a channel's own sales lower its figure before their orders arrive).
-- The sync-health card counts the repairs of the last 24 h; rows older than a week are deleted by the sweep.
CREATE TABLE "ChannelDrift" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "channelId" TEXT NOT NULL REFERENCES "Channel" ("id") ON DELETE CASCADE,
  "variantId" TEXT NOT NULL,
  "locationId" TEXT, -- the level, for a figure held per location (Shopify's safety_stock)
  "expected" INTEGER NOT NULL,
  "shown" INTEGER NOT NULL,
  "action" TEXT NOT NULL, -- repaired | watching
  "observedAt" TIMESTAMPTZ(3) NOT NULL
);
CREATE INDEX "ChannelDrift_shopId_channelId_observedAt_idx" ON "ChannelDrift" ("shopId", "channelId", "observedAt");
CREATE INDEX "ChannelDrift_channelId_variantId_observedAt_idx" ON "ChannelDrift" ("channelId", "variantId", "observedAt");
