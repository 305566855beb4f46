import { beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs } from "@remix-run/node";
import { database } from "~/.server/db/database";
import { getActive, getDraft } from "~/.server/db/routing-rules";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { loadPolicy } from "~/.server/use-cases/allocate-order";
import { defaultPolicy, type RoutingPolicy } from "~/domain/routing-policy/policy";
import { decodeDecision } from "~/domain/routing";
import { action as simulateApi, loader as simulateGet } from "~/routes/api.v1.routing.simulate";
import { action as routingAction, loader as routingPage } from "~/routes/app.routing";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { queryNumber, queryRow, queryRows } from "../support/db-query";
import { addSession } from "../support/sessions";

// The Routing page edits a draft, validates it, activates it for live routing, and simulates it on the
// shop's recent orders; the API does the same simulation for clients.

const A = "routing-a.myshopify.com";
const B = "routing-b.myshopify.com";
const app = { apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! };
const BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";
setQueue(new InProcessQueue());

const headers = (shop: string, extra: Record<string, string> = {}) => ({ Authorization: `Bearer ${mintSessionToken(app, shop)}`, "User-Agent": BROWSER, ...extra });
const args = (request: Request): ActionFunctionArgs => ({ request, params: {}, context: {} });

function pageGet(shop: string) {
  return routingPage(args(new Request("http://127.0.0.1:3999/app/routing", { headers: headers(shop) })));
}

function pagePost(shop: string, intent: string, policy: unknown, extra: Record<string, string> = {}) {
  const body = new URLSearchParams({ intent, policy: typeof policy === "string" ? policy : JSON.stringify(policy), ...extra });
  return routingAction(args(new Request("http://127.0.0.1:3999/app/routing", { method: "POST", headers: headers(shop, { "Content-Type": "application/x-www-form-urlencoded" }), body })));
}

async function simulate(shop: string, body: unknown) {
  const response = await simulateApi(args(new Request("http://127.0.0.1:3999/api/v1/routing/simulate", { method: "POST", headers: headers(shop, { "Content-Type": "application/json" }), body: typeof body === "string" ? body : JSON.stringify(body) })));
  return { status: response.status, body: await response.json() };
}

let shopA: string;
const loc: Record<string, string> = {};
const excluding = (id: string): RoutingPolicy => ({ ...defaultPolicy(), rules: [{ type: "exclude_locations", ids: [id] }, ...defaultPolicy().rules] });

beforeAll(async () => {
  for (const shop of [A, B]) {
    await ensureShop(shop);
    await addSession({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: `shpat_${shop}`, scope: "read_orders", expires: new Date(Date.now() + 86_400_000), refreshToken: "r", refreshTokenExpires: new Date(Date.now() + 30 * 86_400_000) });
  }
  shopA = (await queryRow<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = ?`, A))!.id;
  loc.chicago = (await addLocation(shopA, "1", "chicago")).id;
  loc.newark = (await addLocation(shopA, "2", "newark")).id;
  loc.dallas = (await addLocation(shopA, "3", "dallas")).id;
  // Chicago holds two units; live routing gave them to the first two Chicago orders, so none is available now.
  await addSku(shopA, "SIM", { [loc.chicago]: 2, [loc.newark]: 50, [loc.dallas]: 50 });
  for (let i = 0; i < 4; i++) await ingestOn(A, "manual", channelOrder([{ sku: "SIM", quantity: 1 }], { city: "chicago", externalId: `sim-${i}`, placedAt: new Date(Date.UTC(2026, 10, 17, 10, 0, i)).toISOString() }));
  await ingestOn(A, "manual", channelOrder([{ sku: "SIM", quantity: 1 }], { city: "dallas", externalId: "sim-dallas", placedAt: "2026-11-17T11:00:00Z" }));
});

describe("the Routing page", () => {
  it("shows the default policy when the shop has no rule set", async () => {
    const page = await pageGet(A);
    expect(page.editing).toEqual({ source: "default", policy: defaultPolicy() });
    expect(page.active).toBeNull();
    expect(page.locations.map((l) => l.name).sort()).toEqual(["chicago", "dallas", "newark"]);
  });

  it("refuses an invalid draft with errors that name the field, and saves nothing", async () => {
    const bad = { rules: [{ type: "max_splits", max: 0 }, { type: "capacity" }], rateTable: defaultPolicy().rateTable };
    const result = await pagePost(A, "save", bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: "rules.0.max" }), expect.objectContaining({ path: "rules", message: expect.stringMatching(/ranking rule/) })]));
    expect(result.error).toMatch(/rules\.0\.max/);

    const unknownLocation = await pagePost(A, "save", excluding("somebody-elses-location"));
    expect(unknownLocation).toMatchObject({ ok: false, issues: [{ path: "rules.0.ids", message: expect.stringMatching(/not a location of this shop/) }] });
    expect((await pagePost(A, "save", "{not json")).ok).toBe(false);
    expect(await getDraft(database(), shopA)).toBeNull();
  });

  it("saves a draft without touching live routing, then activation switches loadPolicy", async () => {
    const first = excluding(loc.dallas);
    expect(await pagePost(A, "save", first)).toMatchObject({ ok: true, intent: "save" });
    expect((await getDraft(database(), shopA))?.policy).toEqual(first);
    expect((await loadPolicy(database(), shopA)).id).toBeNull(); // still the default
    expect((await pageGet(A)).editing).toEqual({ source: "draft", policy: first });

    expect(await pagePost(A, "activate", first)).toMatchObject({ ok: true, intent: "activate" });
    const live = await loadPolicy(database(), shopA);
    expect(live.policy).toEqual(first);
    expect(live.id).toBe((await getActive(database(), shopA))!.id);
    expect(await getDraft(database(), shopA)).toBeNull();

    // The next order to Dallas is routed by it: Dallas is excluded, and the decision says so.
    const next = await ingestOn(A, "manual", channelOrder([{ sku: "SIM", quantity: 1 }], { city: "dallas", externalId: "after-activation" }));
    const row = (await queryRow<{ ruleSetId: string | null; explanation: string }>(`SELECT "ruleSetId","explanation" FROM "RoutingDecision" WHERE "shopId" = ? AND "orderId" = ?`, shopA, next.orderId))!;
    expect(row.ruleSetId).toBe(live.id);
    const decision = decodeDecision(row.explanation);
    expect(decision.shipments.map((s) => s.locationId)).not.toContain(loc.dallas);
    expect(decision.explanation.excludedLocations).toContainEqual({ locationId: loc.dallas, reason: "exclude_locations" });

    // Activating another draft archives the first.
    const second = excluding(loc.newark);
    expect(await pagePost(A, "activate", second)).toMatchObject({ ok: true });
    expect((await loadPolicy(database(), shopA)).policy).toEqual(second);
    const sets = await queryRows<{ status: string }>(`SELECT "status" FROM "RoutingRuleSet" WHERE "shopId" = ? ORDER BY "createdAt", "id"`, shopA);
    expect(sets.map((s) => s.status)).toEqual(["archived", "active"]);
    expect((await pageGet(A)).editing.source).toBe("active");
    expect(await queryNumber(`SELECT COUNT(*) AS "n" FROM "AuditEvent" WHERE "shopId" = ? AND "action" = 'routing.policy_activated'`, shopA)).toBe(2);
  });

  it("simulates the draft as edited against the active policy", async () => {
    const result = await pagePost(A, "simulate", excluding(loc.chicago), { orders: "50" });
    expect(result.ok).toBe(true);
    if (!result.ok || !result.simulation) throw new Error("no simulation");
    expect(result.simulation.orders).toBe(6);
    expect(result.simulation.sources).toEqual({ current: "active", draft: "given" });
    expect(result.simulation.draft.locations.find((l) => l.locationId === loc.chicago)).toMatchObject({ orders: 0 });
    expect(await pagePost(A, "simulate", excluding(loc.chicago), { orders: "0" })).toMatchObject({ ok: false, issues: [{ path: "form.orders" }] });
  });
});

describe("POST /api/v1/routing/simulate", () => {
  it("replays the last orders under both policies, giving back what they hold", async () => {
    const { status, body } = await simulate(A, { orders: 6, draft: excluding(loc.chicago) });
    expect(status).toBe(200);
    expect(body.orders).toBe(6);
    const at = (summary: { locations: { locationId: string; orders: number }[] }, id: string) => summary.locations.find((l) => l.locationId === id)!.orders;
    // Current (active: excludes Newark). Chicago's two units are held by the first two orders: given back,
    // the replay ships two Chicago orders from Chicago again (with today's stock it could ship none).
    expect(at(body.current, loc.chicago)).toBe(2);
    expect(at(body.draft, loc.chicago)).toBe(0);
    expect(body.current.backorderedUnits).toBe(0);
    expect(body.draft.unitsAllocated).toBe(6);
    expect(body.draft.totalLandedCostMinor).toBeGreaterThan(body.current.totalLandedCostMinor);
    expect(body.current.onTime.ordersWithPromise).toBe(6); // every order was promised a date at intake (default: 5 business days)
    expect(Object.keys(body.current).sort()).toEqual(Object.keys(body.draft).sort());

    // The last five leave out the oldest order: its Chicago unit stays taken, only the other comes back.
    const lastFive = await simulate(A, { orders: 5, draft: excluding(loc.chicago) });
    expect(lastFive.body.orders).toBe(5);
    expect(at(lastFive.body.current, loc.chicago)).toBe(1);
  });

  it("uses the saved draft when none is sent, and says so when there is none", async () => {
    expect(await simulate(B, {})).toMatchObject({ status: 400, body: { error: { type: "invalid_data", code: "ROUTING.NO_DRAFT" } } });
    await pagePost(A, "save", excluding(loc.dallas));
    const { status, body } = await simulate(A, {});
    expect(status).toBe(200);
    expect(body.sources).toEqual({ current: "active", draft: "saved" });
  });

  it("rejects bad input with 400 and a stable code", async () => {
    const cases: [unknown, string][] = [
      ["{nope", "BODY.INVALID_JSON"],
      [{ orders: 0 }, "BODY.INVALID"],
      [{ orders: 5001 }, "BODY.INVALID"],
      [{ orders: "ten" }, "BODY.INVALID"],
      [{ draft: { rules: [{ type: "closest" }] }, extra: 1 }, "BODY.INVALID"],
      [{ draft: { rules: [{ type: "teleport" }], rateTable: defaultPolicy().rateTable } }, "POLICY.INVALID"],
      [{ draft: { rules: [{ type: "capacity" }], rateTable: defaultPolicy().rateTable } }, "POLICY.INVALID"],
      [{ draft: { rules: defaultPolicy().rules, rateTable: { zones: [], services: [] } } }, "POLICY.INVALID"],
    ];
    for (const [body, code] of cases) {
      const response = await simulate(A, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error).toMatchObject({ type: "invalid_data", code, message: expect.any(String) });
    }
  });

  it("needs a session token, and only answers POST", async () => {
    const anonymous = await simulateApi(args(new Request("http://127.0.0.1:3999/api/v1/routing/simulate", { method: "POST", headers: { "User-Agent": BROWSER }, body: "{}" })));
    expect(anonymous.status).toBe(401);
    expect((await simulateGet()).status).toBe(405);
  });
});
