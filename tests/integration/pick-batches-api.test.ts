import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { createApiKey } from "~/.server/use-cases/manage-api-keys";
import { action, loader } from "~/routes/api.v1.pick-batches";
import { action as routeAction } from "~/routes/api.v1.pick-routes";

// POST /api/v1/pick-batches: waves by carrier cut-off, batches within each wave under the cart capacity, each
// batch's route and the FCFS figure (ADR 0030); and POST /api/v1/pick-routes answering the SVG map on request.

const SHOP = "pick-batches.myshopify.com";
const request = (url: string, body: unknown, token: string | null, accept?: string) => {
  const headers: Record<string, string> = { "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 Chrome/156" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (accept) headers.Accept = accept;
  return new Request(url, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
};
const post = async (body: unknown, token: string | null) => {
  const response = await action({ request: request("http://127.0.0.1:3999/api/v1/pick-batches", body, token), params: {}, context: {} });
  return { status: response.status, body: await response.json() };
};

const layout = { aisles: 4, aisleLengthM: 10, aisleSpacingM: 2, depot: { aisle: 0, yM: 0 } };
const orders = Array.from({ length: 9 }, (_, i) => ({
  id: `#${1001 + i}`,
  carrier: i % 3 === 0 ? "DHL" : "UPS",
  priority: i === 4 ? 5 : 0,
  picks: [{ aisle: i % 4, yM: (i * 7) % 10, quantity: 1 + (i % 2) }, { aisle: (i + 1) % 4, yM: (i * 3) % 10 }],
}));
const carriers = [{ carrier: "UPS", cutoffs: ["12:00", "17:00"] }, { carrier: "DHL", cutoffs: ["15:30"] }];

let apiKey: string;
let readKey: string;
beforeAll(async () => {
  const shop = await ensureShop(SHOP);
  apiKey = (await createApiKey(shop.id, { name: "wms", scope: "write" })).text;
  readKey = (await createApiKey(shop.id, { name: "reports", scope: "read" })).text;
});

describe("POST /api/v1/pick-batches", () => {
  it("answers waves in cut-off order, batches within them under capacity, routes and the FCFS figure", async () => {
    const { status, body } = await post({ layout, capacityItems: 5, orders, carriers, now: "2026-12-04T12:30:00Z", seed: 4 }, apiKey);
    expect(status).toBe(200);
    // 12:30 UTC: UPS noon has gone, so DHL 15:30 leaves first, then UPS 17:00.
    expect(body.waves.map((w: { carrier: string; cutoffAt: string }) => [w.carrier, w.cutoffAt])).toEqual([
      ["DHL", "2026-12-04T15:30:00.000Z"],
      ["UPS", "2026-12-04T17:00:00.000Z"],
    ]);
    expect(body.waves[1].orderIds[0]).toBe("#1005"); // the priority order first in its wave
    const items = new Map(orders.map((o) => [o.id, o.picks.reduce((s, p) => s + (p.quantity ?? 1), 0)]));
    const placed: string[] = [];
    for (const wave of body.waves) {
      for (const batch of wave.batches) {
        expect(batch.orderIds.every((id: string) => wave.orderIds.includes(id))).toBe(true);
        expect(batch.orderIds.reduce((s: number, id: string) => s + items.get(id)!, 0)).toBe(batch.items);
        expect(batch.items).toBeLessThanOrEqual(5);
        expect(batch.exact).toBe(true);
        expect(batch.sequence.length).toBe(batch.orderIds.reduce((s: number, id: string) => s + orders.find((o) => o.id === id)!.picks.length, 0));
        placed.push(...batch.orderIds);
      }
      expect(wave.lengthM).toBeLessThanOrEqual(wave.fcfsLengthM + 1e-6);
    }
    expect(placed.sort()).toEqual(orders.map((o) => o.id).sort());
    expect(body.lengthM).toBeLessThanOrEqual(body.fcfsLengthM);
    expect(body.savingVsFcfsPct).toBeGreaterThanOrEqual(0);
  });

  it("refuses a caller without write credentials and lists every problem of a bad body", async () => {
    expect((await post({ layout, capacityItems: 5, orders }, null)).status).toBe(401);
    expect((await post({ layout, capacityItems: 5, orders, carriers }, readKey)).status).toBe(403);
    expect((await post("{", apiKey)).status).toBe(400);
    const bad = await post(
      { layout: { ...layout, aisles: 2 }, capacityItems: 2, orders: [{ id: "a", carrier: "FedEx", picks: [{ aisle: 3, yM: 1, quantity: 3 }] }, { id: "a", picks: [{ aisle: 0, yM: 1 }] }], carriers, now: "2026-12-04T12:30:00Z" },
      apiKey,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues).toEqual([
      "orders[0].picks[0].aisle: must be an aisle from 0 to 1 (got 3)",
      "orders[0]: 3 items do not fit a cart of 2 (split the order first)",
      'orders[1].id: duplicate order id "a"',
      'orders[0].carrier: no cut-offs given for carrier "FedEx"',
    ]);
    expect((await loader()).status).toBe(405);
  });
});

describe("POST /api/v1/pick-routes with Accept: image/svg+xml", () => {
  const picks = [{ aisle: 3, yM: 4 }, { aisle: 1, yM: 7 }];
  const call = (accept?: string) => routeAction({ request: request("http://127.0.0.1:3999/api/v1/pick-routes", { layout, picks }, apiKey, accept), params: {}, context: {} });

  it("answers the route drawn on the map, and JSON unchanged otherwise", async () => {
    const svg = await call("image/svg+xml");
    expect(svg.status).toBe(200);
    expect(svg.headers.get("Content-Type")).toBe("image/svg+xml; charset=utf-8");
    const text = await svg.text();
    expect(text).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[^>]*role="img"/);
    expect(text).toContain("optimal (exact, Ratliff &amp; Rosenthal dynamic program)");
    expect(text).toMatch(/S-shape: [\d.]+ m/);
    expect(text.match(/<circle class="pick"/g)).toHaveLength(2);
    for (const accept of [undefined, "application/json", "application/json, image/svg+xml", "image/svg+xml;q=0.5, application/json", "*/*"]) {
      const json = await call(accept);
      expect(json.headers.get("Content-Type")).toContain("application/json");
      expect(await json.json()).toMatchObject({ method: "optimal", exact: true });
    }
    expect((await call("image/svg+xml, application/json;q=0.9")).headers.get("Content-Type")).toContain("image/svg+xml");
  });
});
