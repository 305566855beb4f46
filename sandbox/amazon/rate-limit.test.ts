import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_USAGE_PLANS, TokenBucket } from "./rate-limit";
import type { AmazonSandbox } from "./server";
import { listingPath, MARKETPLACE, spClient, startTestSandbox, type ManualClock, type SpClient } from "./test-support";

describe("TokenBucket", () => {
  it("allows the burst, then one request per 1/rate seconds", () => {
    let t = 0;
    const bucket = new TokenBucket({ rate: 0.5, burst: 3 }, () => t);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    expect(bucket.msUntilNext()).toBe(2000);
    t += 1999;
    expect(bucket.take()).toBe(false);
    t += 1;
    expect(bucket.take()).toBe(true);
    t += 1_000_000;
    expect(bucket.available()).toBe(3); // never above the burst
  });

  it("carries Amazon's documented usage plans", () => {
    expect(DEFAULT_USAGE_PLANS).toMatchObject({
      getListingsItem: { rate: 5, burst: 10 },
      patchListingsItem: { rate: 5, burst: 5 },
      createFeedDocument: { rate: 0.5, burst: 15 },
      createFeed: { rate: 0.0083, burst: 15 },
      getFeed: { rate: 2, burst: 15 },
      getFeedDocument: { rate: 0.0222, burst: 10 },
      getOrders: { rate: 0.0167, burst: 20 },
      getOrderItems: { rate: 0.5, burst: 30 },
    });
  });
});

describe("429 QuotaExceeded over HTTP", () => {
  let sandbox: AmazonSandbox;
  let clock: ManualClock;
  let client: SpClient;
  afterEach(() => sandbox.close());

  it("answers the call after the burst with 429 and recovers once the bucket refills", async () => {
    ({ sandbox, clock } = await startTestSandbox());
    client = await spClient(sandbox);
    for (let i = 0; i < 10; i += 1) expect((await client.call("GET", listingPath("SKU-1"))).status).toBe(200);
    const limited = await client.call<{ errors: { code: string; message: string }[] }>("GET", listingPath("SKU-1"));
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ errors: [{ code: "QuotaExceeded", message: "You exceeded your quota for the requested resource.", details: "" }] });
    expect(limited.headers.get("x-amzn-ratelimit-limit")).toBe("5");
    clock.advance(199);
    expect((await client.call("GET", listingPath("SKU-1"))).status).toBe(429);
    clock.advance(1);
    expect((await client.call("GET", listingPath("SKU-1"))).status).toBe(200);
    expect((await client.call("GET", listingPath("SKU-1"))).status).toBe(429);
    // buckets are per operation: orders are unaffected
    const orders = await client.call("GET", `/orders/v0/orders?MarketplaceIds=${MARKETPLACE}&CreatedAfter=2026-01-01T00:00:00Z`);
    expect(orders.status).toBe(200);
  });

  it("takes overridden plans (getOrderItems at 1 per second, burst 1)", async () => {
    ({ sandbox, clock } = await startTestSandbox({ rateLimits: { getOrderItems: { rate: 1, burst: 1 } } }));
    client = await spClient(sandbox);
    const order = sandbox.createOrder({ items: [{ sku: "SKU-1", quantity: 1 }] });
    const path = `/orders/v0/orders/${order.amazonOrderId}/orderItems`;
    expect((await client.call("GET", path)).status).toBe(200);
    const limited = await client.call("GET", path);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-amzn-ratelimit-limit")).toBe("1");
    clock.advance(1000);
    expect((await client.call("GET", path)).status).toBe(200);
  });

  it("does not charge the quota for unauthenticated calls", async () => {
    ({ sandbox, clock } = await startTestSandbox({ rateLimits: { getListingsItem: { rate: 1, burst: 1 } } }));
    for (let i = 0; i < 3; i += 1) expect((await fetch(`${sandbox.url}${listingPath("SKU-1")}`)).status).toBe(403);
    client = await spClient(sandbox);
    expect((await client.call("GET", listingPath("SKU-1"))).status).toBe(200);
  });
});
