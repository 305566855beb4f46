import { shipmentPackages, type ShipmentPlan } from "../fulfillment/shipment";

// Telling Amazon a merchant-fulfilled order shipped (Orders API v0 confirmShipment): one request per package, each
// with its carrier, tracking number and the order items it holds. Pure: the requests from a recorded shipment and
// the order's item ids; the use case sends them and reads back what Amazon holds when a reply was lost.

/** Amazon's CarrierCode values for carriers a merchant names in many ways; anything else is "Other" with its name. */
const CARRIER_CODES: Record<string, string> = {
  usps: "USPS",
  "us postal service": "USPS",
  ups: "UPS",
  fedex: "FedEx",
  "fed ex": "FedEx",
  dhl: "DHL",
  "dhl ecommerce": "DHL eCommerce",
  ontrac: "OnTrac",
  "amazon shipping": "Amazon Shipping",
  lasership: "LaserShip",
  "canada post": "Canada Post",
  "royal mail": "Royal Mail",
  dpd: "DPD",
  gls: "GLS",
  hermes: "Hermes",
  evri: "Evri",
  "yamato transport": "Yamato Transport",
};

export function amazonCarrier(carrier: string): { carrierCode: string; carrierName?: string } {
  const code = CARRIER_CODES[carrier.trim().toLowerCase().replace(/\s+/g, " ")];
  return code ? { carrierCode: code } : { carrierCode: "Other", carrierName: carrier.trim() };
}

export interface ConfirmShipmentRequest {
  /** Amazon's order id. */
  orderId: string;
  packageReferenceId: string;
  body: {
    marketplaceId: string;
    packageDetail: {
      packageReferenceId: string;
      carrierCode: string;
      carrierName?: string;
      shippingMethod?: string;
      trackingNumber: string;
      shipDate: string;
      orderItems: { orderItemId: string; quantity: number }[];
    };
  };
}

/**
 * The confirmShipment requests of one shipment. `ordinal` is the shipment's place among the order's shipments
 * (1, 2, …): a package's reference (positive and numeric, unique within the order, as Amazon requires) is
 * ordinal × 1000 + its position, so it is the same every time the shipment is sent again.
 */
export function confirmShipmentRequests(
  orderId: string,
  marketplaceId: string,
  shipment: Pick<ShipmentPlan, "carrier" | "service" | "trackingNumber" | "shippedAt" | "lines" | "cartons">,
  ordinal: number,
  orderItemIds: ReadonlyMap<string, string>,
): { ok: true; requests: ConfirmShipmentRequest[] } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const carrier = amazonCarrier(shipment.carrier);
  const packages = shipmentPackages(shipment);
  if (packages.length >= 1000) problems.push(`Amazon takes at most 999 packages per shipment; this one has ${packages.length}`);
  const requests = packages.map((pkg, i) => {
    if (!pkg.trackingNumber) problems.push(`package ${pkg.id}: Amazon needs a tracking number for every package`);
    const orderItems = pkg.lines.map((l) => {
      const orderItemId = orderItemIds.get(l.lineExternalId);
      if (!orderItemId) problems.push(`line ${l.lineExternalId}: Amazon's order item id is not known`);
      return { orderItemId: orderItemId ?? "", quantity: l.quantity };
    });
    const packageReferenceId = String(ordinal * 1000 + i + 1);
    return {
      orderId,
      packageReferenceId,
      body: {
        marketplaceId,
        packageDetail: {
          packageReferenceId,
          ...carrier,
          ...(shipment.service ? { shippingMethod: shipment.service } : {}),
          trackingNumber: pkg.trackingNumber ?? "",
          shipDate: shipment.shippedAt,
          orderItems,
        },
      },
    };
  });
  return problems.length ? { ok: false, problems } : { ok: true, requests };
}

/**
 * Whether Amazon already holds a package's units as shipped (a confirmation whose reply was lost): every item of
 * the package shows at least the units our shipments up to and including it sent.
 */
export function alreadyConfirmed(request: ConfirmShipmentRequest, shippedUpTo: ReadonlyMap<string, number>, amazonShipped: ReadonlyMap<string, number>): boolean {
  return request.body.packageDetail.orderItems.every((item) => (amazonShipped.get(item.orderItemId) ?? 0) >= (shippedUpTo.get(item.orderItemId) ?? item.quantity));
}
