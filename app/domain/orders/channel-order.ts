// The one shape every channel's order is mapped into before it touches storage.

export type ChannelKind = "shopify" | "amazon" | "wholesale" | "manual";
export const CHANNEL_KINDS: readonly ChannelKind[] = ["shopify", "amazon", "wholesale", "manual"];

export interface ShipTo {
  name: string | null;
  address1: string | null;
  city: string | null;
  province: string | null;
  countryCode: string | null;
  zip: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface ChannelOrderLine {
  externalId: string;
  sku: string | null;
  variantExternalId: string | null;
  title: string;
  quantity: number;
  priceMinor: number;
}

export interface ChannelOrder {
  externalId: string;
  name: string;
  currency: string;
  totalMinor: number;
  financialStatus: string | null;
  email: string | null;
  phone: string | null;
  customerExternalId: string | null;
  customerName: string | null;
  shipTo: ShipTo | null;
  placedAt: string; // UTC ISO
  updatedAt: string; // UTC ISO: the channel's own clock, used to drop stale updates
  cancelledAt: string | null;
  lines: ChannelOrderLine[];
  /** The shipping method the customer chose (Shopify's shipping line title), when the channel says. */
  shippingMethod?: string | null;
  /** The channel's own latest delivery date (e.g. Amazon's LatestDeliveryDate), when it states one. */
  promisedBy?: string | null;
  /**
   * Our order this one replaces (its id): a Shopify order made from the draft we created for a manual order
   * (ADR 0019). That order gives way to this one (supersedeDraftedOrder) instead of both reserving stock.
   */
  supersedes?: string | null;
}

/** True when `incoming` is strictly newer than what we hold (or we hold nothing). */
export function isNewer(incomingUpdatedAt: string, storedUpdatedAt: string | null | undefined): boolean {
  if (!storedUpdatedAt) return true;
  return Date.parse(incomingUpdatedAt) > Date.parse(storedUpdatedAt);
}
