import { shipmentPackages } from "~/domain/fulfillment/shipment";
import { registerChannelAdapter, type ChannelAdapter } from "../channel-adapter";
import { confirmAmazonShipment } from "./confirm-shipment";

// Amazon (ADR 0011, 0015): a merchant-fulfilled order has no ship-from location on Amazon's side to move, so a
// routing decision changes nothing there; the allocation is what the warehouse works from, and the figures
// Amazon shows follow from the reservation through the pusher. When we ship one, Amazon is told (confirmShipment)
// with carrier and tracking for every package, so a shipment without tracking is refused before it is recorded.
export const amazonChannelAdapter: ChannelAdapter = {
  kind: "amazon",
  async applyRouting() {},
  confirmShipment: (input) => confirmAmazonShipment(input),
  checkShipment: (shipment) =>
    shipmentPackages(shipment)
      .filter((p) => !p.trackingNumber)
      .map((p) => `package ${p.id}: Amazon needs a tracking number for every package`),
};

registerChannelAdapter(amazonChannelAdapter);
