import { describe, expect, it } from "vitest";
import { alreadyConfirmed, amazonCarrier, confirmShipmentRequests } from "./amazon-shipment";

const shipment = {
  carrier: "FedEx", service: "Ground", trackingNumber: "T0", shippedAt: "2026-12-05T10:00:00.000Z",
  lines: [{ lineExternalId: "L1", sku: "A", quantity: 2 }, { lineExternalId: "L2", sku: "B", quantity: 1 }],
  cartons: [],
};
const ids = new Map([["L1", "111"], ["L2", "222"]]);

describe("confirmShipmentRequests", () => {
  it("one package for a shipment without cartons, referenced by the shipment's ordinal", () => {
    const built = confirmShipmentRequests("902-1-1", "MKT", shipment, 3, ids);
    expect(built).toEqual({
      ok: true,
      requests: [{
        orderId: "902-1-1", packageReferenceId: "3001",
        body: { marketplaceId: "MKT", packageDetail: { packageReferenceId: "3001", carrierCode: "FedEx", shippingMethod: "Ground", trackingNumber: "T0", shipDate: shipment.shippedAt, orderItems: [{ orderItemId: "111", quantity: 2 }, { orderItemId: "222", quantity: 1 }] } },
      }],
    });
  });

  it("names an unknown carrier Other with its name, and refuses a package without tracking or an unknown item", () => {
    expect(amazonCarrier(" Acme  Freight ")).toEqual({ carrierCode: "Other", carrierName: "Acme  Freight" });
    expect(amazonCarrier("us postal service")).toEqual({ carrierCode: "USPS" });
    const built = confirmShipmentRequests("902-1-1", "MKT", { ...shipment, trackingNumber: null, lines: [{ lineExternalId: "L9", sku: null, quantity: 1 }] }, 1, ids);
    expect(built).toEqual({ ok: false, problems: ["package 1: Amazon needs a tracking number for every package", "line L9: Amazon's order item id is not known"] });
  });

  it("knows a package landed when Amazon shows at least the units shipped up to it", () => {
    const [request] = (confirmShipmentRequests("902-1-1", "MKT", shipment, 1, ids) as { requests: Parameters<typeof alreadyConfirmed>[0][] }).requests;
    const upTo = new Map([["111", 2], ["222", 1]]);
    expect(alreadyConfirmed(request!, upTo, new Map([["111", 2], ["222", 1]]))).toBe(true);
    expect(alreadyConfirmed(request!, upTo, new Map([["111", 2], ["222", 0]]))).toBe(false);
  });
});
