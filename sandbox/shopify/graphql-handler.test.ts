import { afterEach, describe, expect, it } from "vitest";
import { demoShopSeed } from "./demo-catalog";
import { callGraphql, startTestSandbox, TEST_SHOP } from "./test-support";

type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

const fixedClock = () => new Date("2026-01-10T12:00:00Z"); // the bucket refills only when time passes
const LOCATIONS = `query { shop { name myshopifyDomain currencyCode }
  locations(first: 10) { nodes { id name isActive address { city provinceCode latitude longitude } } pageInfo { hasNextPage } } }`;

describe("Admin GraphQL endpoint", () => {
  it("returns the seeded shop and locations with cost extensions", async () => {
    sandbox = await startTestSandbox({ now: fixedClock });
    const { status, body } = await sandbox.gql(LOCATIONS);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.shop).toEqual({ name: "Demo OMS Outfitters", myshopifyDomain: TEST_SHOP, currencyCode: "USD" });
    const seed = demoShopSeed();
    expect(body.data!.locations.nodes.map((l: { id: string }) => l.id).sort()).toEqual(seed.locations.map((l) => l.id).sort());
    const newark = body.data!.locations.nodes.find((l: { name: string }) => l.name.startsWith("Newark"));
    expect(newark.address).toMatchObject({ city: "Newark", provinceCode: "NJ", latitude: 40.7135, longitude: -74.1332 });
    // shop 1 + connection 2 + 10 × (location 1 + address 1) = 23 requested; 3 locations came back.
    expect(body.extensions!.cost).toEqual({
      requestedQueryCost: 23,
      actualQueryCost: 9,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1991, restoreRate: 100 },
    });
  });

  it("pages product variants with opaque cursors", async () => {
    sandbox = await startTestSandbox();
    const query = `query($after: String) { productVariants(first: 20, after: $after) { nodes { sku } pageInfo { hasNextPage endCursor } } }`;
    const skus: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const { body } = await sandbox.gql(query, { after });
      const conn = body.data!.productVariants;
      skus.push(...conn.nodes.map((n: { sku: string }) => n.sku));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    const expected = demoShopSeed().products.flatMap((p) => p.variants.map((v) => v.sku));
    expect(skus).toEqual(expected);
    expect(after).not.toMatch(/^\d+$/); // opaque, not a bare id
  });

  it("throttles once the bucket is drained, with Shopify's THROTTLED error", async () => {
    let t = Date.parse("2026-01-10T12:00:00Z");
    sandbox = await startTestSandbox({ now: () => new Date(t), throttle: { maximumAvailable: 100, restoreRate: 1 } });
    const expensive = `query { orders(first: 30) { nodes { id lineItems(first: 1) { nodes { id } } } } }`; // 2 + 30 × (1 + 3) = 122 > 100
    const heavy = `query { productVariants(first: 40) { nodes { id } } }`; // 42
    expect((await sandbox.gql(heavy)).body.extensions!.cost.requestedQueryCost).toBe(42);
    // Actual cost is what comes back (40 variants + 2), so the bucket keeps 58, then 16, then refuses.
    await sandbox.gql(heavy);
    const throttled = await sandbox.gql(heavy);
    expect(throttled.status).toBe(200);
    expect(throttled.body.data).toBeUndefined();
    expect(throttled.body.errors).toEqual([
      { message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } },
    ]);
    expect(throttled.body.extensions!.cost.throttleStatus).toEqual({ maximumAvailable: 100, currentlyAvailable: 16, restoreRate: 1 });
    // A query above the whole bucket can never run.
    expect((await sandbox.gql(expensive)).body.errors).toMatchObject([{ message: "Throttled" }]);
    // Time refills the bucket at restoreRate points per second.
    t += 30_000;
    const refilled = await sandbox.gql(heavy);
    expect(refilled.body.errors).toBeUndefined();
    expect(refilled.body.extensions!.cost.throttleStatus.currentlyAvailable).toBe(16 + 30 - 42);

  });

  it("rejects an input list longer than 250 items", async () => {
    sandbox = await startTestSandbox();
    const quantities = Array.from({ length: 251 }, (_, i) => ({
      inventoryItemId: `gid://shopify/InventoryItem/${i + 1}`, locationId: "gid://shopify/Location/1", quantity: 1, compareQuantity: 0,
    }));
    const mutation = `mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { message } } }`;
    const { status, body } = await sandbox.gql(mutation, { input: { name: "available", reason: "correction", quantities } });
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toMatchObject([
      { message: "The input array size of 251 is greater than the maximum allowed of 250.", extensions: { code: "MAX_INPUT_SIZE_EXCEEDED" } },
    ]);
    // 250 is fine (it reaches the resolver, which reports the unknown items as userErrors).
    const ok = await sandbox.gql(mutation, { input: { name: "available", reason: "correction", quantities: quantities.slice(0, 250) } });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data!.inventorySetQuantities.userErrors.length).toBeGreaterThan(0);
  });

  it("answers 401 for an unknown or another shop's token", async () => {
    const other = demoShopSeed("other-shop.myshopify.com");
    sandbox = await startTestSandbox({ shops: [demoShopSeed(), other] });
    const unknown = await sandbox.gql(LOCATIONS, {}, { token: "shpat_not_issued" });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    expect((await sandbox.gql(LOCATIONS, {}, { token: null })).status).toBe(401);
    const otherToken = sandbox.issueAccessToken(other.domain);
    expect((await callGraphql(sandbox.url, LOCATIONS, {}, { token: otherToken, shop: TEST_SHOP })).status).toBe(401);
    expect((await callGraphql(sandbox.url, LOCATIONS, {}, { token: otherToken, shop: other.domain })).status).toBe(200);
  });

  it("returns graphql-js validation errors for unknown fields", async () => {
    sandbox = await startTestSandbox();
    const { status, body } = await sandbox.gql(`query { shop { id nameThatDoesNotExist } }`);
    expect(status).toBe(200);
    expect(body.errors).toMatchObject([{ message: 'Cannot query field "nameThatDoesNotExist" on type "Shop".' }]);
  });

  it("filters orders by updated_at and sorts by UPDATED_AT", async () => {
    let now = new Date("2026-01-10T12:00:00Z");
    sandbox = await startTestSandbox({ now: () => now });
    const [first, second, third] = sandbox.orders(TEST_SHOP).createMany(3);
    now = new Date("2026-01-11T12:00:00Z");
    const { updateOrder } = await import("./order-factory");
    updateOrder(sandbox.store, TEST_SHOP, first.id, { note: "gift wrap" });
    const query = `query($q: String) { orders(first: 10, query: $q, sortKey: UPDATED_AT) { nodes { name updatedAt note } } }`;
    const recent = await sandbox.gql(query, { q: "updated_at:>2026-01-10T12:00:00Z" });
    expect(recent.body.data!.orders.nodes).toEqual([{ name: first.name, updatedAt: "2026-01-11T12:00:00Z", note: "gift wrap" }]);
    const inclusive = await sandbox.gql(query, { q: "updated_at:>='2026-01-10T12:00:00Z'" });
    expect(inclusive.body.data!.orders.nodes.map((o: { name: string }) => o.name)).toEqual([second.name, third.name, first.name]);
    const created = await sandbox.gql(query, { q: "created_at:>2026-01-10T12:00:00Z" });
    expect(created.body.data!.orders.nodes).toEqual([]);
  });
});
