import { afterEach, describe, expect, it } from "vitest";
import type { AmazonSandbox } from "./server";
import { spClient, startTestSandbox, type ManualClock, type SpClient } from "./test-support";

let sandbox: AmazonSandbox;
let clock: ManualClock;
let client: SpClient;
async function start(orderSeed = 1) {
  ({ sandbox, clock } = await startTestSandbox({ orderSeed }));
  client = await spClient(sandbox);
}
afterEach(() => sandbox.close());

interface OrdersPage { payload: { Orders: { AmazonOrderId: string; PurchaseDate: string; OrderStatus: string; OrderTotal?: { Amount: string } }[]; NextToken?: string; CreatedBefore?: string; LastUpdatedBefore?: string } }
interface ErrorsBody { errors: { code: string; message: string }[] }

const iso = (ms: number) => new Date(ms).toISOString();

describe("Orders API v0", () => {
  it("creates orders with deterministic 3-7-7 ids for the same seed", async () => {
    await start(7);
    const a = [sandbox.createOrder({ items: [{ sku: "SKU-1", quantity: 1 }] }).amazonOrderId, sandbox.createOrder({ items: [{ sku: "SKU-3", quantity: 2 }] }).amazonOrderId];
    await sandbox.close();
    await start(7);
    const b = [sandbox.createOrder({ items: [{ sku: "SKU-1", quantity: 1 }] }).amazonOrderId, sandbox.createOrder({ items: [{ sku: "SKU-3", quantity: 2 }] }).amazonOrderId];
    expect(a).toEqual(b);
    for (const id of a) expect(id).toMatch(/^902-\d{7}-\d{7}$/);
    expect(a[0]).not.toBe(a[1]);
  });

  it("pages getOrders with NextToken in purchase order, without losing or repeating an order", async () => {
    await start();
    const start0 = clock.t;
    const created: string[] = [];
    for (let i = 0; i < 7; i += 1) {
      created.push(sandbox.createOrder({ items: [{ sku: "SKU-3", quantity: 1 }] }).amazonOrderId);
      clock.advance(1000);
    }
    const seen: string[] = [];
    let res = await client.call<OrdersPage>("GET", `/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&CreatedAfter=${iso(start0)}&MaxResultsPerPage=3`);
    expect(res.status).toBe(200);
    expect(res.body.payload.CreatedBefore).toBe(iso(clock.t).replace(".000", ""));
    const pages = [res.body.payload.Orders.length];
    seen.push(...res.body.payload.Orders.map((o) => o.AmazonOrderId));
    clock.advance(1);
    sandbox.createOrder({ items: [{ sku: "SKU-3", quantity: 1 }] }); // newer than the first page's CreatedBefore: not in this listing
    while (res.body.payload.NextToken) {
      res = await client.call<OrdersPage>("GET", `/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&NextToken=${encodeURIComponent(res.body.payload.NextToken)}`);
      expect(res.status).toBe(200);
      pages.push(res.body.payload.Orders.length);
      seen.push(...res.body.payload.Orders.map((o) => o.AmazonOrderId));
    }
    expect(pages).toEqual([3, 3, 1]);
    expect(seen).toEqual(created);
    expect(res.headers.get("x-amzn-ratelimit-limit")).toBe("0.0167");
  });

  it("filters by LastUpdatedAfter and OrderStatuses", async () => {
    await start();
    const t0 = clock.t;
    const a = sandbox.createOrder({ items: [{ sku: "SKU-1", quantity: 1 }] });
    sandbox.createOrder({ items: [{ sku: "SKU-1", quantity: 1 }] });
    clock.advance(60_000);
    sandbox.orders.setStatus(a.amazonOrderId, "Shipped");
    const updated = await client.call<OrdersPage>("GET", `/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&LastUpdatedAfter=${iso(t0 + 1000)}`);
    expect(updated.body.payload.Orders.map((o) => o.AmazonOrderId)).toEqual([a.amazonOrderId]);
    expect(updated.body.payload.LastUpdatedBefore).toBeTruthy();
    const unshipped = await client.call<OrdersPage>("GET", `/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&CreatedAfter=${iso(t0)}&OrderStatuses=Unshipped`);
    expect(unshipped.body.payload.Orders).toHaveLength(1);
    expect(unshipped.body.payload.Orders[0].OrderStatus).toBe("Unshipped");
  });

  it("enforces Amazon's parameter rules with 400 InvalidInput", async () => {
    await start();
    const t = iso(clock.t - 3_600_000);
    const bad = async (query: string) => {
      const res = await client.call<ErrorsBody>("GET", `/orders/v0/orders?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.errors[0].code).toBe("InvalidInput");
      return res.body.errors[0].message;
    };
    expect(await bad(`CreatedAfter=${t}`)).toMatch(/MarketplaceIds/);
    expect(await bad("MarketplaceIds=ATVPDKIKX0DER")).toMatch(/CreatedAfter or LastUpdatedAfter/);
    expect(await bad(`MarketplaceIds=ATVPDKIKX0DER&CreatedAfter=${t}&LastUpdatedAfter=${t}`)).toMatch(/cannot be set/);
    expect(await bad("MarketplaceIds=ATVPDKIKX0DER&CreatedAfter=yesterday")).toMatch(/ISO 8601/);
    expect(await bad(`MarketplaceIds=ATVPDKIKX0DER&CreatedAfter=${t}&CreatedBefore=${iso(clock.t - 60_000)}`)).toMatch(/two minutes/);
    expect(await bad(`MarketplaceIds=ATVPDKIKX0DER&CreatedAfter=${t}&MaxResultsPerPage=101`)).toMatch(/MaxResultsPerPage/);
    expect(await bad(`MarketplaceIds=ATVPDKIKX0DER&NextToken=forged.token`)).toMatch(/NextToken/);
    expect(await bad(`MarketplaceIds=ATVPDKIKX0DER&CreatedAfter=${t}&OrderStatuses=Lost`)).toMatch(/OrderStatuses/);
  });

  it("returns order items with SKU, quantity and price, 404 for an unknown order and 400 for a malformed id", async () => {
    await start();
    const order = sandbox.createOrder({ items: [{ sku: "SKU-1", quantity: 2 }, { sku: "SKU-3", quantity: 1 }] });
    const res = await client.call<{ payload: { AmazonOrderId: string; OrderItems: { SellerSKU: string; QuantityOrdered: number; ItemPrice: { Amount: string } }[] } }>("GET", `/orders/v0/orders/${order.amazonOrderId}/orderItems`);
    expect(res.status).toBe(200);
    expect(res.body.payload.AmazonOrderId).toBe(order.amazonOrderId);
    expect(res.body.payload.OrderItems.map((i) => [i.SellerSKU, i.QuantityOrdered, i.ItemPrice.Amount])).toEqual([["SKU-1", 2, "99.98"], ["SKU-3", 1, "89.00"]]);
    expect((await client.call("GET", "/orders/v0/orders/902-0000000-0000000/orderItems")).status).toBe(404);
    expect((await client.call("GET", "/orders/v0/orders/12345/orderItems")).status).toBe(400);
  });

  it("a merchant-fulfilled order lowers the buyer-visible quantity, and cannot buy more than buyers see", async () => {
    await start();
    sandbox.createOrder({ items: [{ sku: "SKU-1", quantity: 2 }] });
    expect(sandbox.visibleQuantity("SKU-1")).toBe(3);
    expect(() => sandbox.createOrder({ items: [{ sku: "SKU-1", quantity: 4 }] })).toThrow(/buyers see 3/);
    expect(() => sandbox.createOrder({ items: [{ sku: "NOPE", quantity: 1 }] })).toThrow(/not in the catalogue/);
    expect(sandbox.visibilityLog("SKU-1").at(-1)).toMatchObject({ source: "order", quantity: 3 });
  });
});
