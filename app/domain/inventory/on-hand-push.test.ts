import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planPush, readingBasis, shopifyBaseline, shopifyReasonFor, type OpenPush } from "./on-hand-push";

const LEVEL = { shopId: "s1", variantId: "v1", locationId: "l1" };
const pending = (id: string, delta: number, reason = "received"): OpenPush => ({ id, idempotencyKey: `receipt:R:${id}`, delta, reason, referenceUri: "oms://receipt/R", status: "pending", attempts: 0, batchKey: null, changeFrom: null, quantityTo: null });

describe("planPush", () => {
  it("sends every pending push of a level as one compare-and-swap from the baseline to our figure", () => {
    const plan = planPush(LEVEL, 115, [pending("a", 10), pending("b", 5)]);
    expect(plan).toEqual({ kind: "send", pushIds: ["a", "b"], changeFrom: 100, quantity: 115, reason: "received", referenceUri: "oms://receipt/R", keyParts: ["s1", "v1", "l1", "100", "claim 1", "receipt:R:a", "receipt:R:b"] });
  });

  it("a batch carries one reason: a restock after a receipt goes in the next batch, from the figure the first leaves", () => {
    const open = [pending("a", 10), pending("b", 3, "restock")];
    expect(planPush(LEVEL, 113, open)).toMatchObject({ kind: "send", pushIds: ["a"], changeFrom: 100, quantity: 110, reason: "received" });
    expect(planPush(LEVEL, 113, open.slice(1))).toMatchObject({ kind: "send", pushIds: ["b"], changeFrom: 110, quantity: 113, reason: "restock" });
  });

  it("Shopify below zero (more shipped than it knew it had): the batch starts from there and may end there", () => {
    // Ours mirrors Shopify's -3; a receipt of 2 is told as -3 → -1, a later one of 5 as -1 → 4.
    expect(planPush(LEVEL, -1, [pending("a", 2)])).toMatchObject({ kind: "send", changeFrom: -3, quantity: -1 });
    expect(planPush(LEVEL, 4, [pending("b", 5)])).toMatchObject({ kind: "send", changeFrom: -1, quantity: 4 });
  });

  it("re-sends a batch in flight exactly as it was, before anything newer", () => {
    const sent: OpenPush = { ...pending("a", 10), status: "sending", batchKey: "K1", changeFrom: 100, quantityTo: 110 };
    expect(planPush(LEVEL, 117, [sent, pending("b", 7)])).toEqual({ kind: "resend", batchKey: "K1", pushIds: ["a"], changeFrom: 100, quantity: 110 });
  });

  it("settles pushes that cancel out without calling Shopify, and does nothing when nothing is open", () => {
    expect(planPush(LEVEL, 100, [pending("a", 4), pending("b", -4)])).toEqual({ kind: "settle", pushIds: ["a", "b"] });
    expect(planPush(LEVEL, 100, [])).toEqual({ kind: "nothing" });
  });

  it("a batch formed again after a refusal is another request, even from the same figure", () => {
    const keyOf = (plan: ReturnType<typeof planPush>) => (plan.kind === "send" ? plan.keyParts.join() : plan.kind);
    const first = keyOf(planPush(LEVEL, 110, [pending("a", 10)]));
    expect(keyOf(planPush(LEVEL, 113, [pending("a", 10)]))).not.toBe(first); // 3 units arrived from Shopify meanwhile
    expect(keyOf(planPush(LEVEL, 110, [{ ...pending("a", 10), attempts: 1 }]))).not.toBe(first); // refused, and Shopify's figure came back
    expect(keyOf(planPush(LEVEL, 110, [pending("a", 10)]))).toBe(first); // the same batch: the same key
  });

  it("property: batch after batch, each from the figure the last left, Shopify ends at our on hand", () => {
    const push = fc.record({ delta: fc.integer({ min: -50, max: 50 }), reason: fc.constantFrom("received", "restock", "correction") });
    fc.assert(
      fc.property(fc.integer({ min: -100, max: 1000 }), fc.array(push, { maxLength: 8 }), (baseline, pushes) => {
        const ours = baseline + pushes.reduce((a, p) => a + p.delta, 0);
        let open = pushes.map((p, i) => pending(`p${i}`, p.delta, p.reason));
        let shopify = baseline;
        for (let round = 0; round <= pushes.length; round++) {
          const plan = planPush(LEVEL, ours, open);
          if (plan.kind === "nothing") break;
          if (plan.kind === "resend") throw new Error("nothing was in flight");
          if (plan.kind === "send") {
            expect(plan.changeFrom).toBe(shopify); // compare-and-swap from what Shopify holds
            shopify = plan.quantity;
          }
          open = open.filter((p) => !plan.pushIds.includes(p.id));
        }
        expect(open).toEqual([]);
        expect(shopify).toBe(ours);
      }),
    );
  });
});

describe("readingBasis", () => {
  it("compares Shopify's figure with ours minus what has not reached it", () => {
    expect(shopifyBaseline(115, [{ delta: 10 }, { delta: 5 }])).toBe(100);
    expect(readingBasis(115, [{ delta: 10, status: "pending" }], false)).toEqual({ kind: "compare", ours: 105 });
    expect(readingBasis(115, [], false)).toEqual({ kind: "compare", ours: 115 }); // our confirmed write comes back equal: no change
  });

  it("waits while a batch is in flight, or when a push was confirmed after the reading was taken", () => {
    expect(readingBasis(110, [{ delta: 10, status: "sending" }], false)).toEqual({ kind: "wait" });
    expect(readingBasis(110, [], true)).toEqual({ kind: "wait" });
  });
});

describe("shopifyReasonFor", () => {
  it("names the app's own changes in Shopify's words, and nothing that came from Shopify", () => {
    expect(shopifyReasonFor("received")).toBe("received");
    expect(shopifyReasonFor("returned")).toBe("restock");
    expect(shopifyReasonFor("transfer_in")).toBe("movement_received");
    expect(shopifyReasonFor("external_increase")).toBeNull();
  });
});
