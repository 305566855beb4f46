import { registerChannelAdapter, type ChannelAdapter } from "../channel-adapter";

// Orders keyed in by the merchant (or posted to the API): no outside system to tell where they ship from —
// the allocation itself is what the warehouse works from.
export const manualChannelAdapter: ChannelAdapter = {
  kind: "manual",
  async applyRouting() {},
};

registerChannelAdapter(manualChannelAdapter);
