import { describe, expect, it } from "vitest";
import { defaultPolicy } from "~/domain/routing-policy/policy";
import { database } from "./database";
import { activateDraft, getActive, getDraft, saveDraft } from "./routing-rules";
import { ensureShop, findShopById } from "./shops";

// Rule sets on the data-access port: one draft per shop, activation archives the previous active set and
// moves the shop's config version in the same transaction (routing caches in every process key on it).

describe("routing rule sets", () => {
  it("saving twice keeps one draft; activating it archives the active set and moves the config version", async () => {
    const shop = await ensureShop("rules-a.myshopify.com");
    const q = database();
    const version = async () => (await findShopById(q, shop.id))!.configVersion;
    const policy = defaultPolicy();
    const v0 = await version();

    await q.transaction((tx) => saveDraft(tx, shop.id, policy));
    const second = await q.transaction((tx) => saveDraft(tx, shop.id, { ...policy, rules: policy.rules.filter((r) => r.type === "lowest_landed_cost") }, "Second"));
    expect(second).toMatchObject({ name: "Second", status: "draft", error: null });
    expect(second.policy!.rules).toHaveLength(1);
    expect(await q.all(`SELECT "id" FROM "RoutingRuleSet" WHERE "shopId" = ?`, shop.id)).toHaveLength(1);
    expect(await version()).toBe(v0); // a draft is read by no routing

    const first = await q.transaction((tx) => activateDraft(tx, shop.id, new Date("2026-03-04T05:06:07.000Z")));
    expect(first).toEqual({ ok: true, id: second.id, archived: 0 });
    expect(await version()).toBe(v0 + 1);
    expect(await getActive(q, shop.id)).toMatchObject({ id: second.id, name: "Activated 2026-03-04 05:06 UTC", activatedAt: "2026-03-04T05:06:07.000Z" });
    expect(await getDraft(q, shop.id)).toBeNull();
    expect(await q.transaction((tx) => activateDraft(tx, shop.id))).toEqual({ ok: false, reason: "no_draft" });
    expect(await version()).toBe(v0 + 1);

    const next = await q.transaction((tx) => saveDraft(tx, shop.id, policy));
    expect(await q.transaction((tx) => activateDraft(tx, shop.id, new Date("2026-03-05T00:00:00.000Z")))).toEqual({ ok: true, id: next.id, archived: 1 });
    expect(await version()).toBe(v0 + 2);
    expect((await getActive(q, shop.id))!.id).toBe(next.id);
    const other = await ensureShop("rules-b.myshopify.com");
    expect(await getActive(q, other.id)).toBeNull();
  });
});
