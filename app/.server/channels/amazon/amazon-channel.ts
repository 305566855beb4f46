import { registerChannelAdapter, type ChannelAdapter } from "../channel-adapter";

// Amazon (ADR 0011, 0015): a merchant-fulfilled order has no ship-from location on Amazon's side to move, so a
// routing decision changes nothing there; the allocation is what the warehouse works from, and the figures
// Amazon shows follow from the reservation through the pusher.
export const amazonChannelAdapter: ChannelAdapter = {
  kind: "amazon",
  async applyRouting() {},
};

registerChannelAdapter(amazonChannelAdapter);
