import { registerChannelAdapter, type ChannelAdapter } from "../channel-adapter";
import { acknowledgeOrder, checkPartnerShipment, sendShipmentDocuments } from "./partner-documents";

// Wholesale buyers' orders (CSV, X12 850, the API): like manual orders, the allocation is what the warehouse
// works from, so there is no outside system to move. A trading partner that trades by X12 is told back what it
// asked for (ADR 0022): the 855 when its order is first routed, the 856 and 810 of each shipment; each kept once.
export const wholesaleChannelAdapter: ChannelAdapter = {
  kind: "wholesale",
  async applyRouting(input) {
    await acknowledgeOrder(input);
  },
  confirmShipment: (input) => sendShipmentDocuments(input),
  checkShipment: (shipment, ctx) => checkPartnerShipment(shipment, ctx),
};

registerChannelAdapter(wholesaleChannelAdapter);
