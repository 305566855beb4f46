import { describe, expect, it } from "vitest";
import { planShipment, shipmentInputSchema, shipmentPackages, type ShippableLine } from "./shipment";

const now = new Date("2026-12-05T10:00:00Z");
const lines: ShippableLine[] = [
  { externalId: "L1", sku: "A", open: 3, reservedAt: { reno: 3 } },
  { externalId: "L2", sku: "B", open: 1, reservedAt: { reno: 1 } },
  { externalId: "L3", sku: "A", open: 0, reservedAt: {} },
];
const plan = (input: unknown, opts: { locationId?: string | null; lines?: ShippableLine[] } = {}) => planShipment(shipmentInputSchema.parse(input), opts.lines ?? lines, { locationId: opts.locationId ?? null, now });

describe("planShipment", () => {
  it("ships every open unit by default, from where they are reserved, known by carrier and tracking", () => {
    const check = plan({ carrier: "UPS", trackingNumber: "1Z1" });
    expect(check).toMatchObject({ ok: true, plan: { externalId: "UPS:1Z1", locationId: "reno", shippedAt: now.toISOString(), lines: [{ lineExternalId: "L1", sku: "A", quantity: 3 }, { lineExternalId: "L2", sku: "B", quantity: 1 }], cartons: [] } });
  });

  it("takes lines by id or unambiguous SKU, and cartons that hold exactly the shipment", () => {
    const check = plan({ externalId: "S1", carrier: "UPS", lines: [{ lineId: "L1", quantity: 2 }], cartons: [{ id: "C1", trackingNumber: "T1", lines: [{ lineId: "L1", quantity: 1 }] }, { trackingNumber: "T2", lines: [{ lineId: "L1", quantity: 1 }] }] });
    expect(check.ok && check.plan.cartons.map((c) => [c.id, c.trackingNumber])).toEqual([["C1", "T1"], ["2", "T2"]]);
    expect(check.ok && shipmentPackages(check.plan)).toHaveLength(2);
  });

  it("lists every problem at once", () => {
    const check = plan({ carrier: "UPS", lines: [{ sku: "A", quantity: 1 }, { lineId: "L9", quantity: 1 }, { lineId: "L2", quantity: 2 }], cartons: [{ lines: [{ lineId: "L2", quantity: 1 }] }] });
    expect(check).toEqual({
      ok: false,
      problems: [
        "line 1: 2 lines have SKU A; name the line by lineId",
        "line 2: the order has no line L9",
        "line L2 (B): 2 to ship but 1 open",
        "line L2: the cartons hold 1 but the shipment has 2",
        "externalId: give the shipment an id, or a tracking number (the shipment is known by carrier and tracking)",
      ],
    });
  });

  it("asks where the units left from when they are reserved in two places, and says when nothing is left", () => {
    const split: ShippableLine[] = [{ externalId: "L1", sku: "A", open: 2, reservedAt: { reno: 1, dallas: 1 } }];
    expect(plan({ carrier: "UPS", trackingNumber: "1" }, { lines: split })).toMatchObject({ ok: false, problems: [expect.stringContaining("reserved at 2 locations")] });
    expect(plan({ carrier: "UPS", trackingNumber: "1" }, { lines: split, locationId: "dallas" })).toMatchObject({ ok: true, plan: { locationId: "dallas" } });
    expect(plan({ carrier: "UPS", trackingNumber: "1" }, { lines: [{ ...split[0]!, open: 0 }] })).toMatchObject({ ok: false, problems: [expect.stringContaining("nothing left to ship")] });
  });

  it("gives the same content for the same shipment whatever the order of its lines", () => {
    const a = plan({ carrier: "UPS", trackingNumber: "1", lines: [{ lineId: "L1", quantity: 1 }, { lineId: "L2", quantity: 1 }] });
    const b = plan({ carrier: "UPS", trackingNumber: "1", lines: [{ lineId: "L2", quantity: 1 }, { lineId: "L1", quantity: 1 }] });
    const c = plan({ carrier: "UPS", trackingNumber: "1", lines: [{ lineId: "L1", quantity: 2 }] });
    expect(a.ok && b.ok && a.plan.content === b.plan.content).toBe(true);
    expect(a.ok && c.ok && a.plan.content === c.plan.content).toBe(false);
  });

  it("refuses malformed input at the schema", () => {
    expect(shipmentInputSchema.safeParse({ carrier: "", lines: [{ quantity: 0 }] }).success).toBe(false);
    expect(shipmentInputSchema.safeParse({ carrier: "UPS", lines: [{ lineId: "L1", sku: "A", quantity: 1 }] }).success).toBe(false);
  });
});
