import { registerChannelAdapter, type ChannelAdapter } from "../channel-adapter";

// Wholesale buyers' orders (CSV, X12 850, the API): like manual orders, the allocation is what the warehouse
// works from, so there is no outside system to move. What the buyer is told back (855, 856, 810) follows its
// own events (ADR 0017), not the routing job.
export const wholesaleChannelAdapter: ChannelAdapter = {
  kind: "wholesale",
  async applyRouting() {},
};

registerChannelAdapter(wholesaleChannelAdapter);
