-- Automation, second part (issue 15, ADR 0037): the merchant's (or a Flow action's) hold on an order's fulfillment,
-- the channel buffer watch that fires "stock under a channel's buffer" once per crossing, and the automation cursor's
-- place in the stock ledger (webhook topic inventory.changed).

-- An order held from fulfillment: not released into a pick wave while set (app/domain/integrations/fulfillment-hold.ts),
-- mirrored to Shopify as a hold on its open fulfillment orders. NULL: not held.
ALTER TABLE "Order" ADD COLUMN "fulfillmentHoldAt" TIMESTAMPTZ(3);
ALTER TABLE "Order" ADD COLUMN "fulfillmentHoldReason" TEXT;

-- Per channel and SKU: whether its sellable stock was at or under the channel's buffer the last time its figure was
-- computed for a push, and how many times it has crossed down (the natural key of each crossing's event).
CREATE TABLE "ChannelBufferWatch" (
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "channelId" TEXT NOT NULL REFERENCES "Channel" ("id") ON DELETE CASCADE,
  "variantId" TEXT NOT NULL REFERENCES "Variant" ("id") ON DELETE CASCADE,
  "below" INTEGER NOT NULL DEFAULT 0, -- 1: at or under the buffer
  "crossings" INTEGER NOT NULL DEFAULT 0,
  "changedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("shopId", "channelId", "variantId")
);

-- How far into the stock ledger the automation sweep has read (inventory.changed); NULL: not started (it starts at
-- the ledger's end, nothing from before is sent).
ALTER TABLE "AutomationCursor" ADD COLUMN "ledgerId" BIGINT;
