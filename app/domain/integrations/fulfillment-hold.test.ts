import { describe, expect, it } from "vitest";
import { decideFulfillmentHold, merchantHoldNotes, releasableToPick } from "./fulfillment-hold";

describe("an order's fulfillment hold", () => {
  it("holds an open order, does nothing when already so, refuses a shipped or cancelled one", () => {
    expect(decideFulfillmentHold({ status: "routed", fulfillmentHoldAt: null }, "hold")).toEqual({ ok: true, change: "hold" });
    expect(decideFulfillmentHold({ status: "routed", fulfillmentHoldAt: "2026-12-05T10:00:00.000Z" }, "hold")).toEqual({ ok: true, change: "none" });
    expect(decideFulfillmentHold({ status: "routed", fulfillmentHoldAt: "2026-12-05T10:00:00.000Z" }, "release")).toEqual({ ok: true, change: "release" });
    expect(decideFulfillmentHold({ status: "routed", fulfillmentHoldAt: null }, "release")).toEqual({ ok: true, change: "none" });
    expect(decideFulfillmentHold({ status: "shipped", fulfillmentHoldAt: null }, "hold")).toMatchObject({ ok: false });
    expect(decideFulfillmentHold({ status: "cancelled", fulfillmentHoldAt: null }, "hold")).toMatchObject({ ok: false });
  });

  it("keeps a held order out of pick waves", () => {
    expect(releasableToPick({ status: "routed", fulfillmentHoldAt: null })).toBe(true);
    expect(releasableToPick({ status: "routed", fulfillmentHoldAt: "2026-12-05T10:00:00.000Z" })).toBe(false);
    expect(releasableToPick({ status: "backordered", fulfillmentHoldAt: null })).toBe(false);
  });

  it("notes the reason on Shopify's hold, within its limit", () => {
    expect(merchantHoldNotes("fraud check")).toBe("Held in Open OMS: fraud check");
    expect(merchantHoldNotes("x".repeat(400))).toHaveLength(256);
  });
});
