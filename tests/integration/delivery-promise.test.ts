import { beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { activateDraft, getActive, saveDraft } from "~/.server/db/routing-rules";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { ingestShopifyOrder } from "~/.server/use-cases/ingest-shopify-order";
import { simulateRouting } from "~/.server/use-cases/simulate-routing";
import { defaultPolicy } from "~/domain/routing-policy/policy";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { queryRow } from "../support/db-query";
import { shopifyOrderBody } from "../support/orders";

// Every order gets a promised delivery date when it is taken in: the channel's own when it states one,
// else the shop's service level for the shipping method chosen at checkout. Routing and Simulate use it.

setQueue(new InProcessQueue());
const SHOP = "promise-test.myshopify.com";
let shopId: string;

/** The test payload (placed Friday 2026-11-20 10:00 UTC, shipped to Austin) with these shipping lines. */
const withShipping = (lines: { title: string; code: string }[], sku = "PROMISED") =>
  shopifyOrderBody({ lines: [{ sku, quantity: 1 }] }).replace(/}$/, `,"shipping_lines":${JSON.stringify(lines.map((l, i) => ({ id: i + 1, ...l, is_removed: false })))}}`);

async function promisedBy(orderId: string) {
  return (await queryRow<{ promisedBy: string | null }>(`SELECT "promisedBy" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, shopId, orderId))!.promisedBy;
}

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  const dallas = (await addLocation(shopId, "1", "dallas")).id;
  await addSku(shopId, "PROMISED", { [dallas]: 100 });
});

describe("promised delivery date at intake", () => {
  it("a Shopify order is promised by its shipping method's service level, in business days from the day placed", async () => {
    const express = await ingestShopifyOrder(SHOP, withShipping([{ title: "Express Shipping", code: "EXPRESS" }]));
    expect(await promisedBy(express.orderId)).toBe("2026-11-24"); // Friday + 2 business days
    const standard = await ingestShopifyOrder(SHOP, withShipping([{ title: "Standard Shipping", code: "Standard" }]));
    expect(await promisedBy(standard.orderId)).toBe("2026-11-27");
    const unnamed = await ingestShopifyOrder(SHOP, shopifyOrderBody({ lines: [{ sku: "PROMISED", quantity: 1 }] }));
    expect(await promisedBy(unnamed.orderId)).toBe("2026-11-27"); // no shipping line: the shop's default (5)
  });

  it("routing keeps the promise: the decision says whether it is met", async () => {
    const { orderId } = await ingestShopifyOrder(SHOP, withShipping([{ title: "Express Shipping", code: "EXPRESS" }]));
    const decision = await queryRow<{ meetsPromise: unknown }>(`SELECT "meetsPromise" FROM "RoutingDecision" WHERE "shopId" = ? AND "orderId" = ?`, shopId, orderId);
    expect(decision).toBeDefined();
    expect(decision!.meetsPromise).not.toBeNull();
  });

  it("the channel's own promise wins over the shop's service levels", async () => {
    const order = { ...channelOrder([{ sku: "PROMISED", quantity: 1 }], { city: "dallas" }), shippingMethod: "Express", promisedBy: "2026-12-03T07:59:59Z" };
    const { orderId } = await ingestOn(SHOP, "manual", order);
    expect(await promisedBy(orderId)).toBe("2026-12-03");
  });

  it("uses the service levels of the shop's active policy, as the merchant set them", async () => {
    await database().transaction((tx) => saveDraft(tx, shopId, { ...defaultPolicy(), promise: { serviceLevels: [{ name: "Rush", matches: ["rush"], businessDays: 1 }], defaultBusinessDays: 3 } }));
    await database().transaction((tx) => activateDraft(tx, shopId));
    expect((await getActive(database(), shopId))?.policy?.promise).toMatchObject({ defaultBusinessDays: 3 });
    const rush = await ingestShopifyOrder(SHOP, withShipping([{ title: "Rush delivery", code: "RUSH" }]));
    expect(await promisedBy(rush.orderId)).toBe("2026-11-23");
    const other = await ingestShopifyOrder(SHOP, withShipping([{ title: "Express Shipping", code: "EXPRESS" }]));
    expect(await promisedBy(other.orderId)).toBe("2026-11-25"); // "Express" is no longer a level here: default 3
  });

  it("Simulate's on-time figure now counts these orders' promises", async () => {
    const result = await simulateRouting(shopId, { draft: defaultPolicy() });
    if (!result.ok) throw new Error(result.message);
    expect(result.current.onTime.ordersWithPromise).toBe(result.orders);
    expect(result.current.onTime.percent).not.toBeNull();
  });
});
