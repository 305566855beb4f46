import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { receiveStock } from "~/.server/use-cases/receive-stock";
import { loader as orderPage } from "~/routes/app.orders.$id";
import { loader as ordersPage } from "~/routes/app.orders._index";
import { loader as apiOrders } from "~/routes/api.v1.orders";
import { bearerArgs, statusOf } from "../support/requests";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { queryRow } from "../support/db-query";
import { addSession } from "../support/sessions";

// The order page explains each order's routing from what the pipeline recorded, within the token's shop.

const A = "order-page-a.myshopify.com";
const B = "order-page-b.myshopify.com";
const app = { apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! };
setQueue(new InProcessQueue()); // apply-routing jobs are recorded, not run

const bearer = (shop: string, path: string, params: Record<string, string> = {}) => bearerArgs(path, mintSessionToken(app, shop), params);


type Detail = Awaited<ReturnType<typeof orderPage>>;
const ids: Record<string, string> = {};
const shopIdOf = async (domain: string) => (await queryRow<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = ?`, domain))!.id;

beforeAll(async () => {
  for (const shop of [A, B]) {
    await ensureShop(shop);
    await addSession({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: `shpat_${shop}`, scope: "read_orders", expires: new Date(Date.now() + 86_400_000), refreshToken: "r", refreshTokenExpires: new Date(Date.now() + 30 * 86_400_000) });
  }
  const shopA = await shopIdOf(A);
  ids.newark = (await addLocation(shopA, "1", "newark")).id;
  ids.dallas = (await addLocation(shopA, "2", "dallas")).id;
  await addSku(shopA, "MUG", { [ids.newark]: 5, [ids.dallas]: 5 });
  await addSku(shopA, "RARE", {});
  ids.order = (await ingestOn(A, "manual", channelOrder([{ sku: "MUG", quantity: 2 }], { city: "dallas", externalId: "mug-1" }))).orderId;
  ids.waiting = (await ingestOn(A, "manual", channelOrder([{ sku: "RARE", quantity: 1 }, { sku: "MUG", quantity: 1 }], { city: "newark", externalId: "rare-1" }))).orderId;
  const rare = (await queryRow<{ id: string }>(`SELECT "id" FROM "Variant" WHERE "shopId" = ? AND "sku" = ?`, shopA, "RARE"))!;
  await receiveStock(shopA, { variantId: rare.id, locationId: ids.dallas, quantity: 3, reason: "received", idempotencyKey: "po-7:1" });

  const shopB = await shopIdOf(B);
  const elsewhere = await addLocation(shopB, "1", "reno");
  await addSku(shopB, "MUG", { [elsewhere.id]: 5 });
  ids.other = (await ingestOn(B, "manual", channelOrder([{ sku: "MUG", quantity: 1 }], { externalId: "b-1" }))).orderId;
});

describe("the order page", () => {
  it("shows lines with their allocations, the timeline in words and the routing explanation", async () => {
    const page = (await orderPage(bearer(A, `/app/orders/${ids.order}`, { id: ids.order }))) as Detail;
    expect(page.order).toMatchObject({ id: ids.order, channel: "manual", status: "reserved" });
    expect(page.lines[0]).toMatchObject({ sku: "MUG", quantity: 2, allocations: [{ location: "dallas", quantity: 2, status: "reserved" }] });

    expect(page.timeline.map((e) => e.action)).toEqual(["order.received", "routing.decided", "order.reserved"]);
    expect(page.timeline[0]).toMatchObject({ actor: "Manual channel", sentence: expect.stringMatching(/^Order #\d+ received/) });
    expect(page.timeline[2].sentence).toBe("All 2 units reserved.");

    const [decision] = page.decisions;
    expect(page.decisions).toHaveLength(1);
    expect(decision.method).toBe("exact");
    expect(decision.headline).toMatch(/^Lowest landed cost decided: ship from dallas \(\$[\d.]+, 1 shipment\) rather than newark/);
    expect(decision.shipments).toEqual([expect.objectContaining({ location: "dallas", zone: 2, service: "Ground", units: 2, distanceKm: 0 })]);
    expect(decision.shipments[0].totalMinor).toBe(decision.shipments[0].handlingMinor + decision.shipments[0].shippingMinor);
    expect(decision.scoreKeys).toEqual(["unallocated_units", "promise_missed", "lowest_landed_cost", "fewest_splits", "closest"]);
    expect(decision.candidates.map((c) => c.locations)).toEqual([["dallas"], ["newark"]]);
    expect(decision.candidates[0].scores).toHaveLength(5);
    expect(decision.candidates[0].scores[2]).toBeLessThan(decision.candidates[1].scores[2]);
  });

  it("keeps earlier decisions: a backorder filled by a receipt is routed again", async () => {
    const page = (await orderPage(bearer(A, `/app/orders/${ids.waiting}`, { id: ids.waiting }))) as Detail;
    expect(page.decisions).toHaveLength(2);
    const [latest, first] = page.decisions;
    expect(first.unitsBackordered).toBe(1);
    expect(latest.shipments.map((s) => s.location)).toEqual(["dallas"]);
    expect(page.timeline.map((e) => e.action)).toEqual(["order.received", "routing.decided", "order.backordered", "routing.decided", "order.backorder_filled", "order.reserved"]);
    expect(page.timeline.find((e) => e.action === "order.backordered")!.sentence).toBe("1 unit of 2 backordered; 1 unit reserved.");
    expect(page.lines.find((l) => l.sku === "RARE")!.allocations).toEqual([{ location: "dallas", quantity: 1, status: "reserved" }]);
  });

  it("answers 404 for another shop's order, or an unknown id", async () => {
    expect(await statusOf(() => orderPage(bearer(B, `/app/orders/${ids.order}`, { id: ids.order })))).toBe(404);
    expect(await statusOf(() => orderPage(bearer(A, `/app/orders/${ids.other}`, { id: ids.other })))).toBe(404);
    expect(await statusOf(() => orderPage(bearer(A, "/app/orders/nope", { id: "nope" })))).toBe(404);
    expect(await statusOf(() => orderPage(bearer(B, `/app/orders/${ids.other}`, { id: ids.other })))).toBe(200);
  });
});

describe("the orders list and API", () => {
  it("filters the list by the location that ships", async () => {
    const atNewark = (await ordersPage(bearer(A, `/app/orders?location=${ids.newark}`))) as { orders: { id: string }[]; locations: { value: string }[] };
    expect(atNewark.orders.map((o) => o.id)).toEqual([ids.waiting]);
    const atDallas = (await ordersPage(bearer(A, `/app/orders?location=${ids.dallas}`))) as { orders: { id: string }[] };
    expect(atDallas.orders.map((o) => o.id).sort()).toEqual([ids.order, ids.waiting].sort());
    expect(atNewark.locations.map((l) => l.value).sort()).toEqual([ids.newark, ids.dallas].sort());
  });

  it("GET /api/v1/orders carries the routing decision in force with its explanation", async () => {
    const response = await apiOrders(bearer(A, "/api/v1/orders?externalId=mug-1"));
    const body = await response.json();
    const [order] = body.orders;
    expect(order.lines[0].allocations).toEqual([{ location: "dallas", locationExternalId: "2", quantity: 2, status: "reserved" }]);
    expect(order.routing).toMatchObject({ method: "exact", decidedBy: "lowest_landed_cost", shipmentCount: 1, unitsAllocated: 2, unitsBackordered: 0 });
    expect(order.routing.summary).toMatch(/ship from dallas/);
    expect(order.routing.explanation.candidates).toHaveLength(2);
    expect(order.routing.locations[ids.dallas]).toEqual({ name: "dallas", externalId: "2" });
    const waiting = (await (await apiOrders(bearer(A, "/api/v1/orders?externalId=rare-1"))).json()).orders[0];
    expect(waiting.routing.unitsAllocated).toBe(1); // the latest decision: the refill, not the first routing
  });
});
