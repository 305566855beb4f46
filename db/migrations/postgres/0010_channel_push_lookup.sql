-- The Inventory page shows each SKU's last accepted figure per channel with its lag: the newest ChannelPush row of
-- a (channel, variant), found by this index instead of a scan of the channel's week of pushes.
CREATE INDEX "ChannelPush_channelId_variantId_pushedAt_idx" ON "ChannelPush" ("channelId", "variantId", "pushedAt");
