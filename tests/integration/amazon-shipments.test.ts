import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { resetEnvForTests } from "~/.server/env";
import { listChannels, type ChannelRow } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { TerminalJobError } from "~/.server/queues/queue-port";
import { confirmShipment } from "~/.server/use-cases/confirm-shipment";
import { connectAmazon } from "~/.server/use-cases/connect-amazon";
import { pollAmazonOrders } from "~/.server/use-cases/poll-amazon-orders";
import { action as postShipment, loader as getShipments } from "~/routes/api.v1.orders.$id.shipments";
import { action as orderPageAction, loader as orderPageLoader } from "~/routes/app.orders.$id";
import { seedDemoShop } from "../../sandbox/seed-demo";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { SANDBOX_LWA_DEFAULTS, startAmazonSandbox, type AmazonSandbox } from "../../sandbox/amazon/server";
import { channelOrder, ingestOn } from "../support/catalog";
import { queryRow, queryRows } from "../support/db-query";
import { BROWSER_UA } from "../support/requests";
import { addSession } from "../support/sessions";

// Issue 12: an MFN order polled from Amazon is reserved and routed; we ship it (POST /api/v1/orders/:id/shipments),
// its units are consumed once and Shopify's on hand is queued to follow, and the shipment confirmation with carrier
// and tracking reaches the Amazon stand-in, once, even when a reply is lost. A later poll that reads the order as
// Shipped consumes nothing more.

const SHOP = "amazon-shipments.myshopify.com";
const SELLER = "A2SHIPMENTS001";
const seed = demoShopSeed(SHOP);
setQueue(new InProcessQueue()); // the test runs the confirmation itself

let amazon: AmazonSandbox;
let shopId: string;
let channel: ChannelRow;
let stocked: string[];

beforeAll(async () => {
  const variants = seed.products.flatMap((p) => p.variants);
  stocked = variants.filter((v) => Object.values(v.stock).reduce((a, b) => a + b, 0) >= 10).map((v) => v.sku);
  amazon = await startAmazonSandbox({
    sellerId: SELLER,
    rateLimits: { getOrders: { rate: 20, burst: 20 }, getOrderItems: { rate: 200, burst: 200 } },
    listings: variants.map((v) => ({ sku: v.sku, productType: "LUGGAGE", quantity: 10_000 })),
  });
  Object.assign(process.env, { AMAZON_LWA_CLIENT_ID: SANDBOX_LWA_DEFAULTS.clientId, AMAZON_LWA_CLIENT_SECRET: SANDBOX_LWA_DEFAULTS.clientSecret, AMAZON_SP_API_ENDPOINT: amazon.url, AMAZON_LWA_ENDPOINT: `${amazon.url}/auth/o2/token` });
  resetEnvForTests();
  shopId = (await seedDemoShop(seed)).shopId;
  await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
  channel = (await listChannels(database(), shopId)).find((c) => c.kind === "amazon")!;
  await connectAmazon(shopId, channel.id, { sellerId: SELLER, marketplaceId: "ATVPDKIKX0DER", refreshToken: String(SANDBOX_LWA_DEFAULTS.refreshToken) });
});
afterAll(async () => {
  await amazon.close();
});

const headers = () => ({ Authorization: `Bearer ${mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP)}`, "Content-Type": "application/json", "User-Agent": BROWSER_UA });
const ship = async (orderId: string, body: unknown) => {
  const response = await postShipment({ request: new Request(`http://127.0.0.1:3999/api/v1/orders/${orderId}/shipments`, { method: "POST", headers: headers(), body: JSON.stringify(body) }), params: { id: orderId }, context: {} });
  return { status: response.status, body: await response.json() };
};
const shipments = async (orderId: string) => (await (await getShipments({ request: new Request(`http://127.0.0.1:3999/api/v1/orders/${orderId}/shipments`, { headers: headers() }), params: { id: orderId }, context: {} })).json()).shipments;

const orderOf = (amazonOrderId: string) => queryRow<{ id: string; status: string }>(`SELECT "id","status" FROM "Order" WHERE "shopId" = ? AND "channelId" = ? AND "externalId" = ?`, shopId, channel.id, amazonOrderId);
const unitsOf = async (orderId: string) => {
  const rows = await queryRows<{ status: string; quantity: number; locationId: string | null }>(`SELECT a."status", a."quantity", a."locationId" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" WHERE l."shopId" = ? AND l."orderId" = ?`, shopId, orderId);
  const sum = (status: string) => rows.filter((r) => r.status === status).reduce((n, r) => n + Number(r.quantity), 0);
  return { reserved: sum("reserved"), fulfilled: sum("fulfilled"), location: rows.find((r) => r.locationId)?.locationId ?? null };
};
const onHandOf = async (sku: string, locationId: string) =>
  Number((await queryRow<{ onHand: number }>(`SELECT il."onHand" FROM "InventoryLevel" il JOIN "Variant" v ON v."id" = il."variantId" WHERE il."shopId" = ? AND v."sku" = ? AND il."locationId" = ?`, shopId, sku, locationId))!.onHand);
const pushesOf = (sku: string) => queryRows<{ delta: number; reason: string; status: string }>(`SELECT p."delta", p."reason", p."status" FROM "StockPush" p JOIN "Variant" v ON v."id" = p."variantId" WHERE p."shopId" = ? AND v."sku" = ? AND p."referenceUri" LIKE 'oms://shipment/%'`, shopId, sku);
const stateOf = async (amazonOrderId: string) => {
  const state = (await (await fetch(`${amazon.url}/_sandbox/state`)).json()) as { orders: { amazonOrderId: string; status: string; items: { sku: string; quantityShipped: number }[]; packages: { packageReferenceId: string; carrierCode: string; trackingNumber: string; items: { quantity: number }[] }[] }[] };
  return state.orders.find((o) => o.amazonOrderId === amazonOrderId)!;
};

async function polledOrder(items: { sku: string; quantity: number }[]) {
  const placed = amazon.createOrder({ items });
  await pollAmazonOrders(shopId, channel.id);
  const order = (await orderOf(placed.amazonOrderId))!;
  expect(order.status).toBe("reserved");
  return { amazonOrderId: placed.amazonOrderId, orderId: order.id };
}

describe("shipping an Amazon MFN order", () => {
  it("consumes its units once, queues Shopify's on hand, and confirms carrier and tracking to Amazon", async () => {
    const { amazonOrderId, orderId } = await polledOrder([{ sku: stocked[0], quantity: 2 }]);
    const { location } = await unitsOf(orderId);
    const before = await onHandOf(stocked[0], location!);

    const shipped = await ship(orderId, { carrier: "UPS", service: "Ground", trackingNumber: "1Z999AA10123456784" });
    expect(shipped.status).toBe(201);
    expect(shipped.body.shipment).toMatchObject({ externalId: "UPS:1Z999AA10123456784", locationId: location, lines: [{ sku: stocked[0], quantity: 2 }], channel: { status: "pending" } });
    expect(await unitsOf(orderId)).toMatchObject({ reserved: 0, fulfilled: 2 });
    expect(await onHandOf(stocked[0], location!)).toBe(before - 2);
    expect(await pushesOf(stocked[0])).toEqual([{ delta: -2, reason: "other", status: "pending" }]);
    expect((await orderOf(amazonOrderId))!.status).toBe("shipped");

    // The same shipment posted again changes nothing; the same id with another content is refused.
    expect((await ship(orderId, { carrier: "UPS", service: "Ground", trackingNumber: "1Z999AA10123456784" })).status).toBe(200);
    const reused = await ship(orderId, { externalId: "UPS:1Z999AA10123456784", carrier: "UPS", trackingNumber: "1Z999AA10123456784", lines: [{ sku: stocked[0], quantity: 1 }] });
    expect(reused).toMatchObject({ status: 409, body: { error: { code: "SHIPMENT.ID_REUSED" } } });
    expect(await unitsOf(orderId)).toMatchObject({ reserved: 0, fulfilled: 2 });

    expect(await confirmShipment(shopId, shipped.body.shipment.id, { lastAttempt: false })).toBe("confirmed");
    const onAmazon = await stateOf(amazonOrderId);
    expect(onAmazon.status).toBe("Shipped");
    expect(onAmazon.packages).toEqual([expect.objectContaining({ packageReferenceId: "1001", carrierCode: "UPS", trackingNumber: "1Z999AA10123456784", items: [expect.objectContaining({ quantity: 2 })] })]);
    expect((await shipments(orderId))[0].channel).toMatchObject({ status: "confirmed", attempts: 1, error: null });
    // Run again (a redelivered job): nothing more is sent.
    expect(await confirmShipment(shopId, shipped.body.shipment.id, { lastAttempt: false })).toBe("skipped");
    expect((await stateOf(amazonOrderId)).packages).toHaveLength(1);

    // Amazon now lists the order Shipped: the poll consumes nothing more.
    await pollAmazonOrders(shopId, channel.id);
    expect(await unitsOf(orderId)).toMatchObject({ reserved: 0, fulfilled: 2 });
    expect(await onHandOf(stocked[0], location!)).toBe(before - 2);
  });

  it("ships in parts and cartons, one package per carton, each with its own reference", async () => {
    const { amazonOrderId, orderId } = await polledOrder([{ sku: stocked[1], quantity: 3 }, { sku: stocked[2], quantity: 1 }]);
    const first = await ship(orderId, { externalId: "S-1", carrier: "USPS", cartons: [{ trackingNumber: "9400100000000000000001", lines: [{ sku: stocked[1], quantity: 1 }] }] });
    expect(first.status).toBe(201);
    expect((await orderOf(amazonOrderId))!.status).toBe("partially_shipped");
    const second = await ship(orderId, {
      externalId: "S-2", carrier: "Acme Freight",
      cartons: [
        { id: "C1", trackingNumber: "AF-1", lines: [{ sku: stocked[1], quantity: 2 }] },
        { id: "C2", trackingNumber: "AF-2", lines: [{ sku: stocked[2], quantity: 1 }] },
      ],
    });
    expect(second.status).toBe(201);
    expect(await confirmShipment(shopId, first.body.shipment.id, { lastAttempt: false })).toBe("confirmed");
    expect(await confirmShipment(shopId, second.body.shipment.id, { lastAttempt: false })).toBe("confirmed");
    const onAmazon = await stateOf(amazonOrderId);
    expect(onAmazon.status).toBe("Shipped");
    expect(onAmazon.packages.map((p) => [p.packageReferenceId, p.carrierCode, p.trackingNumber])).toEqual([["1001", "USPS", "9400100000000000000001"], ["2001", "Other", "AF-1"], ["2002", "Other", "AF-2"]]);
  });

  it("a lost reply is read back, not sent twice", async () => {
    const { amazonOrderId, orderId } = await polledOrder([{ sku: stocked[3], quantity: 1 }]);
    const shipped = await ship(orderId, { carrier: "FedEx", trackingNumber: "7712345678" });
    amazon.faults.inject("confirmShipment", { kind: "lost-reply" });
    await expect(confirmShipment(shopId, shipped.body.shipment.id, { lastAttempt: false })).rejects.toThrow(/confirmShipment answered 0/);
    expect((await shipments(orderId))[0].channel).toMatchObject({ status: "pending", attempts: 1 });
    expect((await stateOf(amazonOrderId)).packages).toHaveLength(1); // it did land
    expect(await confirmShipment(shopId, shipped.body.shipment.id, { lastAttempt: false })).toBe("confirmed");
    expect((await stateOf(amazonOrderId)).packages).toHaveLength(1);
    expect((await shipments(orderId))[0].channel).toMatchObject({ status: "confirmed", attempts: 2 });
  });

  it("refuses what Amazon cannot take before recording anything, and records Amazon's refusal", async () => {
    const { orderId } = await polledOrder([{ sku: stocked[4], quantity: 2 }]);
    const noTracking = await ship(orderId, { externalId: "NT-1", carrier: "UPS" });
    expect(noTracking).toMatchObject({ status: 400, body: { error: { code: "SHIPMENT.INVALID", message: expect.stringContaining("Amazon needs a tracking number") } } });
    const tooMany = await ship(orderId, { carrier: "UPS", trackingNumber: "1Z1", lines: [{ sku: stocked[4], quantity: 3 }, { sku: "NOT-IN-ORDER", quantity: 1 }] });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details.problems).toEqual([`line 2: no line of the order has SKU NOT-IN-ORDER`, expect.stringContaining("3 to ship but 2 open")]);
    expect(await shipments(orderId)).toEqual([]);
    expect(await unitsOf(orderId)).toMatchObject({ reserved: 2, fulfilled: 0 });

    // Cancelled on Amazon after we shipped: Amazon refuses the confirmation, and the shipment says so.
    const shipped = await ship(orderId, { carrier: "UPS", trackingNumber: "1Z2" });
    amazon.orders.setStatus((await queryRow<{ externalId: string }>(`SELECT "externalId" FROM "Order" WHERE "id" = ?`, orderId))!.externalId, "Canceled");
    await expect(confirmShipment(shopId, shipped.body.shipment.id, { lastAttempt: false })).rejects.toBeInstanceOf(TerminalJobError);
    expect((await shipments(orderId))[0].channel).toMatchObject({ status: "failed", error: expect.stringContaining("Canceled") });
  });

  it("a 429 storm on confirmShipment delays the confirmation but loses nothing", async () => {
    const { amazonOrderId, orderId } = await polledOrder([{ sku: stocked[5], quantity: 1 }]);
    const shipped = await ship(orderId, { carrier: "DHL", trackingNumber: "JD0001" });
    amazon.rateLimits.setPlan("confirmShipment", { rate: 5, burst: 1 });
    amazon.rateLimits.take("confirmShipment"); // the bucket is empty: the next call is refused until it refills
    const refusedBefore = amazon.rateLimits.refused("confirmShipment");
    expect(await confirmShipment(shopId, shipped.body.shipment.id, { lastAttempt: false })).toBe("confirmed");
    expect(amazon.rateLimits.refused("confirmShipment")).toBeGreaterThan(refusedBefore);
    expect((await stateOf(amazonOrderId)).packages).toHaveLength(1);
  });

  it("Shopify orders are not shipped here", async () => {
    const outcome = await ingestOn(SHOP, "shopify", channelOrder([{ sku: stocked[6], quantity: 1 }], { externalId: "5550001" }));
    expect((await ship(outcome.orderId!, { carrier: "UPS", trackingNumber: "1Z3" })).status).toBe(403);
    expect((await ship("no-such-order", { carrier: "UPS", trackingNumber: "1Z3" })).status).toBe(404);
  });

  it("the order page's Shipments card records a shipment the same way, and shows every problem", async () => {
    const { orderId } = await polledOrder([{ sku: stocked[7], quantity: 2 }]);
    const page = async () => (await orderPageLoader({ request: new Request(`http://127.0.0.1:3999/app/orders/${orderId}`, { headers: { Authorization: headers().Authorization, "User-Agent": BROWSER_UA } }), params: { id: orderId }, context: {} })) as { shipping: { shipments: { carrier: string; channelStatus: string }[]; form: { token: string; lines: { lineId: string; open: number }[] } | null } };
    const act = async (fields: Record<string, string>) =>
      orderPageAction({ request: new Request(`http://127.0.0.1:3999/app/orders/${orderId}`, { method: "POST", headers: { Authorization: headers().Authorization, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() }), params: { id: orderId }, context: {} });
    const before = await page();
    expect(before.shipping.form!.lines).toEqual([expect.objectContaining({ open: 2 })]);
    const lineId = before.shipping.form!.lines[0]!.lineId;
    const lines = (quantity: string) => JSON.stringify([{ lineId, quantity }]);
    expect(await act({ intent: "ship", token: before.shipping.form!.token, carrier: "UPS", trackingNumber: "", lines: lines("3") })).toMatchObject({ shipProblems: [expect.stringContaining("3 to ship but 2 open")] });
    expect(await act({ intent: "ship", token: before.shipping.form!.token, carrier: "UPS", trackingNumber: "", lines: lines("2") })).toMatchObject({ shipProblems: [expect.stringContaining("Amazon needs a tracking number")] });
    expect(await act({ intent: "ship", token: before.shipping.form!.token, carrier: "UPS", trackingNumber: "1ZPAGE", lines: lines("2") })).toMatchObject({ shipProblems: [] });
    const after = await page();
    expect(after.shipping.shipments).toEqual([expect.objectContaining({ carrier: "UPS", channelStatus: "pending" })]);
    expect(after.shipping.form!.lines[0]!.open).toBe(0);
  });
});
