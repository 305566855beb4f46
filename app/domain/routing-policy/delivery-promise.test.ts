import { describe, expect, it } from "vitest";
import { addBusinessDays, defaultPromisePolicy, promisedDelivery, serviceLevelFor } from "./delivery-promise";
import { parsePolicy, defaultPolicy } from "./policy";

// 2026-11-20 is a Friday; 2026-11-21/22 the weekend.

describe("addBusinessDays", () => {
  it("counts working days after the day, skipping the weekend", () => {
    expect(addBusinessDays("2026-11-17", 1)).toBe("2026-11-18"); // Tue → Wed
    expect(addBusinessDays("2026-11-20", 1)).toBe("2026-11-23"); // Fri → Mon
    expect(addBusinessDays("2026-11-20", 5)).toBe("2026-11-27"); // Fri → next Fri
    expect(addBusinessDays("2026-11-21", 1)).toBe("2026-11-23"); // Sat → Mon
    expect(addBusinessDays("2026-11-22T23:59:00Z", 2)).toBe("2026-11-24"); // Sun → Tue (UTC day of a timestamp)
    expect(addBusinessDays("2026-12-31", 1)).toBe("2027-01-01"); // across a year (holidays are not modelled)
  });

  it("with zero days: the day itself if it is a working day, else the next one", () => {
    expect(addBusinessDays("2026-11-20", 0)).toBe("2026-11-20");
    expect(addBusinessDays("2026-11-21", 0)).toBe("2026-11-23");
  });
});

describe("promisedDelivery", () => {
  const policy = defaultPromisePolicy();
  const friday = "2026-11-20T15:30:00Z";

  it("takes the channel's own promise first (e.g. Amazon's LatestDeliveryDate), as a date", () => {
    expect(promisedDelivery({ placedAt: friday, channelPromisedBy: "2026-11-25T07:59:59Z", shippingMethod: "Standard", shipsToAddress: true }, policy)).toEqual({ promisedBy: "2026-11-25", source: "channel" });
  });

  it("else the service level of the shipping method the customer chose, in business days", () => {
    expect(promisedDelivery({ placedAt: friday, shippingMethod: "Express Shipping", shipsToAddress: true }, policy)).toEqual({ promisedBy: "2026-11-24", source: "service_level", serviceLevel: "Express" });
    expect(promisedDelivery({ placedAt: friday, shippingMethod: "Overnight", shipsToAddress: true }, policy).promisedBy).toBe("2026-11-23");
    expect(promisedDelivery({ placedAt: friday, shippingMethod: "Standard Shipping", shipsToAddress: true }, policy)).toMatchObject({ promisedBy: "2026-11-27", serviceLevel: "Standard" });
  });

  it("else the shop's default; nothing without an address to deliver to, or when the default is off", () => {
    expect(promisedDelivery({ placedAt: friday, shippingMethod: "Generic Shipping", shipsToAddress: true }, policy)).toEqual({ promisedBy: "2026-11-27", source: "default" });
    expect(promisedDelivery({ placedAt: friday, shippingMethod: null, shipsToAddress: true }, policy).source).toBe("default");
    expect(promisedDelivery({ placedAt: friday, shippingMethod: "Express", shipsToAddress: false }, policy)).toEqual({ promisedBy: null, source: "none" });
    expect(promisedDelivery({ placedAt: friday, shippingMethod: "Mystery", shipsToAddress: true }, { ...policy, defaultBusinessDays: null })).toEqual({ promisedBy: null, source: "none" });
  });

  it("matches whole words, in the order the levels are listed", () => {
    expect(serviceLevelFor("UPS® 2nd Day Air / 2-Day", policy)?.name).toBe("Express");
    expect(serviceLevelFor("Delivery in 12 days", policy)).toBeNull(); // "2 day" is not in "12 days"
    expect(serviceLevelFor("Background check", policy)).toBeNull();
    expect(serviceLevelFor("Next Day Express", policy)?.name).toBe("Next day"); // first listed wins
    expect(serviceLevelFor("FEDEX_GROUND", policy)?.name).toBe("Standard");
  });
});

describe("the promise part of the routing policy", () => {
  it("defaults when a stored policy has none, and validates what a merchant enters", () => {
    const { rules, rateTable } = defaultPolicy();
    const parsed = parsePolicy({ rules, rateTable });
    expect(parsed.ok && parsed.policy.promise).toEqual(defaultPromisePolicy());
    const custom = { serviceLevels: [{ name: "Same week", matches: ["week"], businessDays: 4 }], defaultBusinessDays: null };
    const withCustom = parsePolicy({ rules, rateTable, promise: custom });
    expect(withCustom.ok && withCustom.policy.promise).toEqual(custom);
    expect(parsePolicy({ rules, rateTable, promise: { ...custom, defaultBusinessDays: -1 } })).toMatchObject({ ok: false, error: expect.stringMatching(/promise\.defaultBusinessDays/) });
    expect(parsePolicy({ rules, rateTable, promise: { serviceLevels: [{ name: "X", matches: [], businessDays: 2 }], defaultBusinessDays: 5 } }).ok).toBe(false);
  });
});
