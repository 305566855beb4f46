import { describe, expect, it } from "vitest";
import { defaultPolicy, parsePolicy } from "~/domain/routing-policy/policy";
import { fromDraft, issueLabel, toDraft } from "./policy-draft";

// What the Routing page's form sends is what the merchant typed, and an untouched policy survives the trip.

describe("the routing page's form model", () => {
  it("round-trips a policy through the form unchanged", () => {
    const policy = { ...defaultPolicy(), rules: [{ type: "prefer_locations" as const, ids: ["a"], bonusMinor: 25 }, { type: "exclude_locations" as const, ids: ["b"] }, ...defaultPolicy().rules] };
    const parsed = parsePolicy(fromDraft(toDraft(policy)));
    expect(parsed).toEqual({ ok: true, policy });
  });

  it("sends what was typed, so validation names the field; blank optional fields are left out", () => {
    const draft = toDraft(defaultPolicy());
    draft.rules[2].max = "two";
    draft.zones[0].perKgMinor = "";
    draft.services[0].transit[6] = "";
    const sent = fromDraft(draft);
    expect(sent.rules[2]).toEqual({ type: "max_splits", max: "two" });
    expect(sent.rateTable.zones[0]).not.toHaveProperty("perKgMinor");
    expect((sent.rateTable.services[0] as { transitDays: Record<string, number> }).transitDays).not.toHaveProperty("8");
    const parsed = parsePolicy(sent);
    expect(parsed).toMatchObject({ ok: false, error: expect.stringMatching(/rules\.2\.max/) });
    expect(issueLabel("rules.2.max", draft)).toBe("Rule 3 (At most N shipments) · max");
    expect(issueLabel("rateTable.services.1.transitDays.4", draft)).toBe("Service 2 (2day) · transit days for zone 4");
    expect(issueLabel("rateTable.zones", draft)).toBe("Zones");
  });

  it("carries the delivery promise: service levels with their words, and a blank default means no promise", () => {
    const draft = toDraft(defaultPolicy());
    draft.promise.levels[1].matches = "express,  priority ,";
    draft.promise.levels[1].businessDays = "3";
    draft.promise.defaultBusinessDays = "";
    const parsed = parsePolicy(fromDraft(draft));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.policy.promise?.serviceLevels[1]).toEqual({ name: "Express", matches: ["express", "priority"], businessDays: 3 });
    expect(parsed.policy.promise?.defaultBusinessDays).toBeNull();
    draft.promise.levels[0].businessDays = "soon";
    const bad = parsePolicy(fromDraft(draft));
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/promise\.serviceLevels\.0\.businessDays/) });
    expect(issueLabel("promise.serviceLevels.0.businessDays", draft)).toBe("Service level 1 (Next day) · businessDays");
  });
});
