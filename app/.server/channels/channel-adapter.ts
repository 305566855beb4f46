import type { ShipmentPlan } from "~/domain/fulfillment/shipment";
import type { ChannelKind } from "~/domain/orders/channel-order";
import type { ChannelRow } from "../db/shops";

// The port every sales channel implements, resolved by channel id (a shop may have several channels of one
// kind: two Amazon marketplaces, one EDI partner per wholesale buyer). Orders come in through the channel's
// own mapping (webhooks, polls, feeds) into the one ingestion path (ingest-channel-order.ts), which knows
// channels only by id; after a routing decision the channel's own fulfillment follows through
// `applyRouting`. Nothing outside an adapter's folder special-cases its kind.

/** Open units of an order by where they are to ship from (the channel's location id; null = backordered). */
export interface Placement {
  lineExternalId: string;
  locationExternalId: string | null;
  quantity: number;
}

export interface ApplyRoutingInput {
  shopDomain: string;
  channel: ChannelRow;
  /** Our order id, and the order's id in its channel. */
  orderId: string;
  orderExternalId: string;
  placements: Placement[];
}

export interface ChannelAdapter {
  readonly kind: ChannelKind;
  /**
   * Make the channel's view of where the order ships from match our allocation (Shopify: move, split and hold
   * its fulfillment orders). Runs in a job after the decision committed; must be safe to run again.
   */
  applyRouting(input: ApplyRoutingInput): Promise<void>;
  /**
   * Tell the channel an order shipped from one of our shipments (Amazon: confirmShipment). Absent: the channel
   * needs telling nothing. Runs in a job after the shipment committed; must be safe to run again (a reply may
   * have been lost). "not-needed": the channel turned out to need nothing for this one.
   */
  confirmShipment?(input: ConfirmShipmentInput): Promise<"confirmed" | "not-needed">;
  /**
   * What the channel cannot take of a shipment about to be recorded (Amazon: a package without tracking; a
   * wholesale partner that wants an 856: a carton id of 18 digits that is not a valid SSCC-18).
   */
  checkShipment?(shipment: ShipmentPlan, ctx: { shopId: string; channel: ChannelRow }): string[] | Promise<string[]>;
}

export interface ConfirmShipmentInput {
  shopId: string;
  channel: ChannelRow;
  orderId: string;
  orderExternalId: string;
  shipmentId: string;
  /** 1 for the first try; a later one may follow a lost reply. */
  attempt: number;
}

const adapters = new Map<ChannelKind, ChannelAdapter>();

export function registerChannelAdapter(adapter: ChannelAdapter): void {
  adapters.set(adapter.kind, adapter);
}

export function channelAdapter(kind: string): ChannelAdapter {
  const adapter = adapters.get(kind as ChannelKind);
  if (!adapter) throw new Error(`No adapter for channel kind ${JSON.stringify(kind)}`);
  return adapter;
}
