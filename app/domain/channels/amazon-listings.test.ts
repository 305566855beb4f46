import { describe, expect, it } from "vitest";
import { feedOutcomes, FEED_MESSAGE_LIMIT, listingsFeedDocument, listingsPatchBody, PATCH_LIMIT, patchOutcome, pushMode } from "./amazon-listings";
import { checkAmazonConnection } from "./amazon-connection";

describe("Amazon listings bodies", () => {
  it("a patch sets only the seller-fulfilled quantity, under the listing's product type", () => {
    expect(listingsPatchBody({ sku: "A", productType: "LUGGAGE", quantity: 7 })).toEqual({
      productType: "LUGGAGE",
      patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 7 }] }],
    });
  });

  it("refuses a quantity Amazon would refuse", () => {
    expect(() => listingsPatchBody({ sku: "A", productType: "X", quantity: -1 })).toThrow(RangeError);
    expect(() => listingsPatchBody({ sku: "A", productType: "X", quantity: 1.5 })).toThrow(RangeError);
  });

  it("a feed numbers its messages from 1, one PATCH per SKU, within Amazon's limit", () => {
    const doc = listingsFeedDocument("SELLER1", [{ sku: "A", productType: "P", quantity: 0 }, { sku: "B", productType: "Q", quantity: 3 }]);
    expect(doc.header).toMatchObject({ sellerId: "SELLER1", version: "2.0" });
    expect(doc.messages.map((m) => [m.messageId, m.sku, m.operationType, m.productType])).toEqual([[1, "A", "PATCH", "P"], [2, "B", "PATCH", "Q"]]);
    expect(() => listingsFeedDocument("S", [])).toThrow(RangeError);
    expect(() => listingsFeedDocument("S", Array.from({ length: FEED_MESSAGE_LIMIT + 1 }, (_, i) => ({ sku: `S${i}`, productType: "P", quantity: 1 })))).toThrow(RangeError);
  });

  it("a few SKUs are patched, more go in a feed", () => {
    expect(pushMode(1)).toBe("patch");
    expect(pushMode(PATCH_LIMIT)).toBe("patch");
    expect(pushMode(PATCH_LIMIT + 1)).toBe("feed");
  });
});

describe("reading Amazon's answers", () => {
  it("a patch is taken only when ACCEPTED without errors", () => {
    expect(patchOutcome({ status: "ACCEPTED", issues: [{ severity: "WARNING", code: "W", message: "meh" }] })).toEqual({ ok: true });
    expect(patchOutcome({ status: "INVALID", issues: [{ severity: "ERROR", code: "90000900", message: "bad", attributeName: "fulfillment_availability" }] })).toEqual({ ok: false, error: "90000900: bad (fulfillment_availability)" });
    expect(patchOutcome({ status: "VALID" })).toEqual({ ok: false, error: "listing submission VALID" });
  });

  it("a processing report settles each message: errors name theirs, the rest are accepted", () => {
    const report = { issues: [{ messageId: 2, severity: "ERROR", code: "X", message: "no" }, { messageId: 1, severity: "WARNING", code: "W", message: "fine" }], summary: { messagesProcessed: 3 } };
    const out = feedOutcomes([1, 2, 3], "DONE", report);
    expect(out.get(1)).toEqual({ ok: true });
    expect(out.get(2)).toEqual({ ok: false, error: "X: no" });
    expect(out.get(3)).toEqual({ ok: true });
  });

  it("a FATAL feed, a feed-level error or a missing report fails every message with the reason", () => {
    const fatal = feedOutcomes([1, 2], "DONE", { issues: [{ severity: "ERROR", code: "F", message: "not JSON" }], summary: { messagesProcessed: 0 } });
    expect([...fatal.values()]).toEqual([{ ok: false, error: "F: not JSON" }, { ok: false, error: "F: not JSON" }]);
    expect(feedOutcomes([1], "FATAL", null).get(1)).toEqual({ ok: false, error: "feed FATAL without a processing report" });
    expect(feedOutcomes([1], "CANCELLED", { issues: [], summary: { messagesProcessed: 0 } }).get(1)).toEqual({ ok: false, error: "feed CANCELLED" });
  });
});

describe("an Amazon connection's input", () => {
  it("takes Seller Central's ids and an LWA refresh token", () => {
    expect(checkAmazonConnection({ sellerId: "A2SELLER123", marketplaceId: "ATVPDKIKX0DER", refreshToken: "Atzr|abc" })).toMatchObject({ ok: true });
  });
  it("says what is wrong, field by field", () => {
    const check = checkAmazonConnection({ sellerId: "a", marketplaceId: "", refreshToken: "x", extra: 1 });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.errors.join("\n")).toMatch(/sellerId[\s\S]*marketplaceId[\s\S]*refreshToken/);
  });
});
