import { describe, expect, it } from "vitest";
import { defaultRateTable } from "../routing-policy/policy";
import { checkReturnRequest, lineEligibility, windowEndsAt, type EligibilityLine, type EligibilityOrder } from "./eligibility";
import { defaultReturnPolicy, returnPolicySchema } from "./policy";
import { chooseReceivingLocation, type ReceivingCandidate } from "./receiving-location";
import { parseRmaNumber, rmaNumber } from "./rma-number";
import { dispositionEffect, transition, type ReturnFacts } from "./status";

const policy = { ...defaultReturnPolicy(), excludedSkus: ["GIFT-CARD"], excludedTags: ["hygiene"] };
const order: EligibilityOrder = { placedAt: "2026-11-01T10:00:00.000Z", shippedAt: "2026-11-05T10:00:00.000Z", cancelled: false };
const line = (over: Partial<EligibilityLine> = {}): EligibilityLine => ({ orderLineId: "l1", sku: "TEE-M", title: "Tee", tags: [], shipped: 2, requested: 0, ...over });
const day = (iso: string) => new Date(iso);

describe("eligibility", () => {
  it("counts the window from the latest shipment, else the order date", () => {
    expect(windowEndsAt(policy, order)).toBe("2026-12-05T10:00:00.000Z");
    expect(windowEndsAt(policy, { ...order, shippedAt: null })).toBe("2026-12-01T10:00:00.000Z");
    expect(lineEligibility(policy, order, line(), day("2026-12-05T10:00:00.000Z")).returnable).toBe(2);
    expect(lineEligibility(policy, order, line(), day("2026-12-05T10:00:01.000Z"))).toMatchObject({ returnable: 0, reason: "window_closed", message: expect.stringContaining("closed on 2026-12-05") });
  });

  it("returnable is shipped minus what open returns already ask for", () => {
    expect(lineEligibility(policy, order, line({ shipped: 3, requested: 1 }), day("2026-11-10T00:00:00Z")).returnable).toBe(2);
    expect(lineEligibility(policy, order, line({ shipped: 2, requested: 2 }), day("2026-11-10T00:00:00Z"))).toMatchObject({ returnable: 0, reason: "nothing_left" });
    expect(lineEligibility(policy, order, line({ shipped: 0 }), day("2026-11-10T00:00:00Z"))).toMatchObject({ reason: "not_shipped" });
  });

  it("refuses excluded SKUs, excluded tags, final sale and cancelled orders with a reason", () => {
    const now = day("2026-11-10T00:00:00Z");
    expect(lineEligibility(policy, order, line({ sku: "GIFT-CARD" }), now).reason).toBe("excluded_sku");
    expect(lineEligibility(policy, order, line({ tags: ["hygiene"] }), now).message).toContain('tagged "hygiene"');
    expect(lineEligibility(policy, order, line({ tags: ["final-sale"] }), now)).toMatchObject({ reason: "final_sale", message: "TEE-M was a final sale and cannot be returned." });
    expect(lineEligibility(policy, { ...order, cancelled: true }, line(), now).reason).toBe("order_cancelled");
  });

  it("checks a request: shape problems are 400, policy refusals 422, each listed", () => {
    const e = [lineEligibility(policy, order, line(), day("2026-11-10T00:00:00Z")), lineEligibility(policy, order, line({ orderLineId: "l2", tags: ["final-sale"] }), day("2026-11-10T00:00:00Z"))];
    expect(checkReturnRequest(policy, e, [{ orderLineId: "l1", quantity: 2, reason: "wrong_size" }])).toEqual({ ok: true, lines: [{ orderLineId: "l1", quantity: 2, reason: "wrong_size", condition: "unopened" }] });
    expect(checkReturnRequest(policy, e, [{ orderLineId: "l1", quantity: 3, reason: "wrong_size" }])).toEqual({ ok: false, status: 422, error: "Return not requested: Line 1: asks to return 3 but only 2 can be returned" });
    expect(checkReturnRequest(policy, e, [{ orderLineId: "l2", quantity: 1, reason: "wrong_size" }])).toMatchObject({ ok: false, status: 422, error: expect.stringContaining("final sale") });
    const bad = checkReturnRequest(policy, e, [{ orderLineId: "x", quantity: 1.5, reason: "meh", condition: "wet" }]);
    expect(bad).toMatchObject({ ok: false, status: 400 });
    expect(!bad.ok && bad.error).toMatch(/not a line of this order.*positive whole number.*reason "meh".*condition "wet"/);
    expect(checkReturnRequest(policy, e, [])).toMatchObject({ ok: false, status: 400 });
  });
});

describe("policy and RMA numbers", () => {
  it("validates a policy and numbers RMAs from the counter", () => {
    expect(returnPolicySchema.safeParse(defaultReturnPolicy()).success).toBe(true);
    expect(returnPolicySchema.safeParse({ ...defaultReturnPolicy(), windowDays: -1 }).success).toBe(false);
    expect(rmaNumber("R", 1001)).toBe("R1001");
    expect(() => rmaNumber("R", 0)).toThrow(RangeError);
    expect(parseRmaNumber(" r1001 ")).toBe("R1001");
    expect(parseRmaNumber("1001; drop")).toBeNull();
  });
});

describe("status machine", () => {
  const facts = (status: ReturnFacts["status"], over: Partial<ReturnFacts> = {}): ReturnFacts => ({ status, lines: [{ id: "a", quantity: 2, held: 0, replacementVariantId: null }], ...over });
  it("walks requested → approved → in transit → received/inspected → refunded", () => {
    expect(transition(facts("requested"), { type: "approve" })).toEqual({ ok: true, to: "approved", event: "return.approved" });
    expect(transition(facts("approved"), { type: "mark_in_transit" })).toMatchObject({ to: "in_transit" });
    expect(transition(facts("in_transit"), { type: "receive", lines: [{ returnLineId: "a", quantity: 2, disposition: "restock" }] })).toMatchObject({ to: "inspected", event: "return.received" });
    expect(transition(facts("in_transit"), { type: "receive", lines: [{ returnLineId: "a", quantity: 1, disposition: "qc_hold" }] })).toMatchObject({ to: "received" });
    expect(transition(facts("inspected"), { type: "refund" })).toMatchObject({ to: "refunded" });
    expect(transition(facts("inspected", { lines: [{ id: "a", quantity: 1, held: 0, replacementVariantId: "v2" }] }), { type: "refund" })).toMatchObject({ to: "exchanged" });
  });
  it("refuses wrong transitions and bad line figures with a reason", () => {
    expect(transition(facts("requested"), { type: "refund" })).toEqual({ ok: false, status: 409, error: "A requested return cannot be refunded (only from inspected)." });
    expect(transition(facts("declined"), { type: "approve" })).toMatchObject({ ok: false, status: 409 });
    expect(transition(facts("refunded"), { type: "close", reason: "x" })).toMatchObject({ ok: false, status: 409 });
    expect(transition(facts("requested"), { type: "decline", reason: " " })).toMatchObject({ ok: false, status: 400 });
    expect(transition(facts("approved"), { type: "receive", lines: [{ returnLineId: "a", quantity: 3, disposition: "restock" }] })).toMatchObject({ ok: false, status: 400, error: expect.stringContaining("3 is more than the 2 requested") });
    expect(transition(facts("approved"), { type: "receive", lines: [{ returnLineId: "zz", quantity: 1, disposition: "restock" }] })).toMatchObject({ ok: false, status: 400 });
  });
  it("release settles to inspected only when no unit is left on hold", () => {
    const held = facts("received", { lines: [{ id: "a", quantity: 2, held: 2, replacementVariantId: null }] });
    expect(transition(held, { type: "release", lines: [{ returnLineId: "a", quantity: 1, disposition: "restock" }] })).toMatchObject({ to: "received" });
    expect(transition(held, { type: "release", lines: [{ returnLineId: "a", quantity: 2, disposition: "scrap" }] })).toMatchObject({ to: "inspected", event: "return.released" });
    expect(transition(held, { type: "release", lines: [{ returnLineId: "a", quantity: 3, disposition: "restock" }] })).toMatchObject({ ok: false, status: 400 });
  });
  it("dispositions: restock adds stock, qc_hold waits, refurbish and scrap leave sellable stock alone", () => {
    expect(dispositionEffect("restock", 2)).toEqual({ restock: 2, hold: 0 });
    expect(dispositionEffect("qc_hold", 2)).toEqual({ restock: 0, hold: 2 });
    expect(dispositionEffect("refurbish", 2)).toEqual({ restock: 0, hold: 0 });
    expect(dispositionEffect("scrap", 2)).toEqual({ restock: 0, hold: 0 });
  });
});

describe("receiving location (routing reversed)", () => {
  const sites: ReceivingCandidate[] = [
    { id: "newark", name: "Newark", latitude: 40.7357, longitude: -74.1724, handlingCostMinor: 150 },
    { id: "reno", name: "Reno", latitude: 39.5296, longitude: -119.8138, handlingCostMinor: 150 },
    { id: "dallas", name: "Dallas", latitude: 32.7767, longitude: -96.797, handlingCostMinor: 150 },
  ];
  const parcel = { origin: { latitude: 40.71, longitude: -74.0 }, items: [{ sku: "TEE", quantity: 2, weightGrams: 400 }], shippedFromId: "reno" };
  it("picks the cheapest location by the routing cost model and says why in one sentence", () => {
    const choice = chooseReceivingLocation(sites, parcel, defaultRateTable())!;
    expect(choice.locationId).toBe("newark");
    expect(choice.explanation).toMatch(/^Returns to Newark: the cheapest of 3 receiving locations, \$[\d.,]+ for 2 units from \d+ km away\.$/);
    const west = chooseReceivingLocation(sites, { ...parcel, origin: { latitude: 37.77, longitude: -122.42 } }, defaultRateTable())!;
    expect(west.locationId).toBe("reno");
    expect(west.costMinor!).toBeLessThan(chooseReceivingLocation([sites[0]], { ...parcel, origin: { latitude: 37.77, longitude: -122.42 } }, defaultRateTable())!.costMinor!);
  });
  it("handling cost counts: a cheaper-to-handle site can win over a nearer one", () => {
    const pricey = sites.map((s) => (s.id === "newark" ? { ...s, handlingCostMinor: 100_000 } : s));
    expect(chooseReceivingLocation(pricey, parcel, defaultRateTable())!.locationId).not.toBe("newark");
  });
  it("without coordinates, back to where the units shipped from", () => {
    expect(chooseReceivingLocation(sites, { ...parcel, origin: null }, defaultRateTable())).toMatchObject({ locationId: "reno", costMinor: null, explanation: expect.stringContaining("no coordinates") });
    expect(chooseReceivingLocation([], parcel, defaultRateTable())).toBeNull();
  });
});
