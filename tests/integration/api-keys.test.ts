import { createHash } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop, installShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { createApiKey } from "~/.server/use-cases/manage-api-keys";
import { uninstallShop } from "~/.server/use-cases/handle-compliance";
import { action as ordersAction, loader as ordersLoader } from "~/routes/api.v1.orders";
import { loader as shopLoader } from "~/routes/api.v1.shop";
import { action as settingsAction, loader as settingsLoader } from "~/routes/app.settings";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { execute, queryNumber, queryRow, queryRows } from "../support/db-query";
import { BROWSER_UA, bearerArgs } from "../support/requests";
import { addSession } from "../support/sessions";

// API keys for ERPs and integrations (ADR 0014): made in Settings and shown once, stored hashed, scoped read or
// write, each seeing its own shop only; and POST /api/v1/orders taking manual and wholesale orders in, once.

const A = "keys-a.myshopify.com";
const B = "keys-b.myshopify.com";
setQueue(new InProcessQueue());
const app = { apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! };
const URL_BASE = "http://127.0.0.1:3999";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const get = async (path: string, key: string) => {
  const response = await (path.startsWith("/api/v1/shop") ? shopLoader : ordersLoader)(bearerArgs(path, key));
  return { status: response.status, body: (await response.json()) as Json };
};
const post = async (body: unknown, key: string, idempotencyKey?: string) => {
  const headers: Record<string, string> = { Authorization: `Bearer ${key}`, "Content-Type": "application/json", "User-Agent": BROWSER_UA };
  if (idempotencyKey !== undefined) headers["Idempotency-Key"] = idempotencyKey;
  const response = await ordersAction({ request: new Request(`${URL_BASE}/api/v1/orders`, { method: "POST", headers, body: JSON.stringify(body) }), params: {}, context: {} });
  return { status: response.status, body: (await response.json()) as Json };
};
const settingsForm = (shop: string, fields: Record<string, string>) =>
  settingsAction({
    request: new Request(`${URL_BASE}/app/settings`, { method: "POST", headers: { Authorization: `Bearer ${mintSessionToken(app, shop)}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() }),
    params: {},
    context: {},
  });
const settingsPage = async (shop: string) => (await settingsLoader(bearerArgs("/app/settings", mintSessionToken(app, shop)))) as Awaited<ReturnType<typeof settingsLoader>>;

async function keyFromSettings(shop: string, name: string, scope: "read" | "write"): Promise<string> {
  const result = await settingsForm(shop, { intent: "createApiKey", name, scope });
  if (!result.ok || !result.newKey) throw new Error(`no key: ${JSON.stringify(result)}`);
  return result.newKey.text;
}

const counts = async () => ({
  orders: await queryNumber(`SELECT COUNT(*) FROM "Order" WHERE "shopId" = ?`, shopA),
  allocations: await queryNumber(`SELECT COUNT(*) FROM "Allocation" WHERE "shopId" = ?`, shopA),
  reserved: await queryNumber(`SELECT SUM("reserved") FROM "InventoryLevel" WHERE "shopId" = ?`, shopA),
  idempotencyKeys: await queryNumber(`SELECT COUNT(*) FROM "ApiIdempotencyKey" WHERE "shopId" = ?`, shopA),
});

let shopA: string;
let readA: string;
let writeA: string;
let writeB: string;
let shopifyOrderOfA: string;

beforeAll(async () => {
  shopA = (await ensureShop(A)).id;
  const shopB = (await ensureShop(B)).id;
  for (const shop of [A, B]) await addSession({ id: `offline_${shop}`, shop, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
  const dallas = (await addLocation(shopA, "71", "dallas")).id;
  await addSku(shopA, "ANVIL", { [dallas]: 10 });
  await addSku(shopA, "ROPE", { [dallas]: 5 });
  const reno = (await addLocation(shopB, "81", "reno")).id;
  await addSku(shopB, "B-ONLY", { [reno]: 3 });
  shopifyOrderOfA = (await ingestOn(A, "shopify", channelOrder([{ sku: "ANVIL", quantity: 1 }], { externalId: "5001" }))).orderId;
  await ingestOn(B, "shopify", channelOrder([{ sku: "B-ONLY", quantity: 1 }], { externalId: "9001" }));
  readA = await keyFromSettings(A, "Reporting", "read");
  writeA = await keyFromSettings(A, "NetSuite", "write");
  writeB = (await createApiKey(shopB, { name: "B's ERP", scope: "write" })).text;
});

describe("API keys in Settings", () => {
  it("shows a new key once, in full, and lists it by name and prefix only", async () => {
    expect(readA).toMatch(/^oms_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const { apiKeys } = await settingsPage(A);
    expect(apiKeys.map((k) => [k.name, k.scope, k.revokedAt])).toEqual([["NetSuite", "write", null], ["Reporting", "read", null]]);
    expect(apiKeys[1].prefix).toBe(readA.slice(4, 16));
    expect(JSON.stringify(apiKeys)).not.toContain(readA.slice(17));
  });

  it("stores only a SHA-256 of the key: no column, nor the audit trail, holds its secret", async () => {
    const rows = await queryRows<Record<string, unknown>>(`SELECT * FROM "ApiKey" WHERE "shopId" = ?`, shopA);
    const stored = JSON.stringify(rows) + JSON.stringify(await queryRows(`SELECT * FROM "AuditEvent" WHERE "shopId" = ?`, shopA));
    for (const key of [readA, writeA]) {
      expect(stored).not.toContain(key.slice(17)); // the secret
      expect(rows.find((r) => r.prefix === key.slice(4, 16))?.hash).toBe(createHash("sha256").update(key).digest("hex"));
    }
  });

  it("refuses a key without a name or with an unknown scope, saying why", async () => {
    expect(await settingsForm(A, { intent: "createApiKey", name: " ", scope: "admin" })).toEqual({ ok: false, error: "name: give the key a name (what uses it); scope: read or write" });
  });
});

describe("/api/v1 with an API key", () => {
  it("a read key reads its own shop", async () => {
    expect((await get("/api/v1/shop", readA)).body.shop.domain).toBe(A);
    const { status, body } = await get("/api/v1/orders", readA);
    expect(status).toBe(200);
    expect(body.orders.map((o: Json) => o.id)).toEqual([shopifyOrderOfA]);
  });

  it("a read key may not write: 403, nothing stored", async () => {
    const before = await counts();
    const { status, body } = await post({ lines: [{ sku: "ANVIL", quantity: 1 }] }, readA);
    expect(status).toBe(403);
    expect(body.error.code).toBe("AUTH.READ_ONLY_KEY");
    expect(await counts()).toEqual(before);
  });

  it("another shop's key never sees this shop's data, nor its catalog", async () => {
    expect((await get("/api/v1/shop", writeB)).body.shop.domain).toBe(B);
    expect((await get("/api/v1/orders?externalId=5001", writeB)).body.orders).toEqual([]);
    expect((await get("/api/v1/orders?externalId=9001", readA)).body.orders).toEqual([]);
    const { status, body } = await post({ lines: [{ sku: "ANVIL", quantity: 1 }] }, writeB);
    expect(status).toBe(400);
    expect(body.error.message).toContain("no product variant of this shop has SKU ANVIL");
  });

  it("malformed, unknown and wrong-secret keys get 401", async () => {
    const wrongSecret = `${readA.slice(0, 17)}${"x".repeat(43)}`;
    const unknown = `oms_ffffffffffff_${readA.slice(17)}`;
    const cases: [string, string][] = [["oms_not-a-key", "AUTH.MALFORMED_API_KEY"], [unknown, "AUTH.INVALID_API_KEY"], [wrongSecret, "AUTH.INVALID_API_KEY"]];
    for (const [key, code] of cases) {
      const { status, body } = await get("/api/v1/orders", key);
      expect([status, body.error.code], key).toEqual([401, code]);
    }
    expect((await ordersLoader(bearerArgs("/api/v1/orders", "not-even-a-jwt"))).status).toBe(401); // the session-token path
  });

  it("records a key's last use at most once a minute", async () => {
    const lastUsed = async () => (await queryRow<{ lastUsedAt: string | null }>(`SELECT "lastUsedAt" FROM "ApiKey" WHERE "prefix" = ?`, readA.slice(4, 16)))!.lastUsedAt;
    await get("/api/v1/shop", readA);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await get("/api/v1/shop", readA);
    expect(await lastUsed()).toEqual(first);
    await execute(`UPDATE "ApiKey" SET "lastUsedAt" = ? WHERE "prefix" = ?`, new Date(Date.now() - 120_000).toISOString(), readA.slice(4, 16));
    await get("/api/v1/shop", readA);
    expect(Date.parse(String(await lastUsed()))).toBeGreaterThan(Date.now() - 10_000);
  });
});

describe("POST /api/v1/orders", () => {
  const body = { externalId: "ERP-1001", customer: { name: "Acme" }, shipTo: { city: "Chicago", province: "IL", countryCode: "US", zip: "60601" }, lines: [{ sku: "ANVIL", quantity: 2, priceMinor: 5000 }, { sku: "ROPE", quantity: 1, priceMinor: 900 }] };
  let orderId: string;

  it("creates a manual order that reserves its stock at once", async () => {
    const { status, body: answer } = await post(body, writeA, "idem-1");
    expect(status).toBe(201);
    expect(answer.created).toBe(true);
    orderId = answer.order.id;
    expect(answer.order).toMatchObject({ channel: "manual", externalId: "ERP-1001", status: "reserved", totalMinor: 10900, currency: "USD" });
    expect(answer.order.lines.map((l: Json) => [l.sku, l.allocations])).toEqual([
      ["ANVIL", [{ location: "dallas", locationExternalId: "71", quantity: 2, status: "reserved" }]],
      ["ROPE", [{ location: "dallas", locationExternalId: "71", quantity: 1, status: "reserved" }]],
    ]);
    expect(answer.order.routing).toMatchObject({ unitsAllocated: 3, unitsBackordered: 0 });
  });

  it("is found by GET /api/v1/orders?channel=manual&externalId=, as Shopify's orders are", async () => {
    const { body: found } = await get("/api/v1/orders?channel=manual&externalId=ERP-1001", readA);
    expect(found.orders.map((o: Json) => o.id)).toEqual([orderId]);
    expect((await get("/api/v1/orders?channel=shopify&externalId=ERP-1001", readA)).body.orders).toEqual([]);
  });

  it("the same Idempotency-Key with the same body answers the same order and reserves nothing again", async () => {
    const before = await counts();
    const again = await post({ lines: body.lines, shipTo: body.shipTo, customer: body.customer, externalId: "ERP-1001", channel: "manual" }, writeA, "idem-1");
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, order: { id: orderId, status: "reserved" } });
    // Without the header, the externalId is the natural key: the same body is the same order.
    expect((await post(body, writeA)).body).toMatchObject({ created: false, order: { id: orderId } });
    expect(await counts()).toEqual(before);
  });

  it("the same Idempotency-Key or externalId with another body is a 409, nothing changed", async () => {
    const before = await counts();
    const reused = await post({ ...body, lines: [{ sku: "ANVIL", quantity: 5 }] }, writeA, "idem-1");
    expect([reused.status, reused.body.error.code]).toEqual([409, "IDEMPOTENCY.KEY_REUSED"]);
    const taken = await post({ ...body, lines: [{ sku: "ANVIL", quantity: 5 }] }, writeA, "idem-other");
    expect([taken.status, taken.body.error.code]).toEqual([409, "ORDER.EXTERNAL_ID_TAKEN"]);
    expect(await counts()).toEqual(before);
  });

  it("an externalId already held by an order from elsewhere is a 409", async () => {
    await ingestOn(A, "manual", channelOrder([{ sku: "ROPE", quantity: 1 }], { externalId: "KEYED-IN-7" }));
    const before = await counts();
    const { status, body: answer } = await post({ externalId: "KEYED-IN-7", lines: [{ sku: "ROPE", quantity: 1 }] }, writeA);
    expect([status, answer.error.code]).toEqual([409, "ORDER.EXTERNAL_ID_TAKEN"]);
    expect(await counts()).toEqual(before);
  });

  it("without an externalId, the Idempotency-Key alone makes repeats the same order", async () => {
    const first = await post({ lines: [{ sku: "ROPE", quantity: 1 }] }, writeA, "3b5c1f0e-7e0a-4c1d-9f5e-2b8a4d6c0e11");
    expect(first.status).toBe(201);
    expect(first.body.order.externalId).toMatch(/^api-/);
    const before = await counts();
    const second = await post({ lines: [{ sku: "ROPE", quantity: 1 }] }, writeA, "3b5c1f0e-7e0a-4c1d-9f5e-2b8a4d6c0e11");
    expect([second.status, second.body.order.id, second.body.order.externalId]).toEqual([200, first.body.order.id, first.body.order.externalId]);
    expect(await counts()).toEqual(before);
  });

  it("two identical requests at once make one order and one reservation", async () => {
    const before = await counts();
    const twin = () => post({ externalId: "ERP-TWIN", lines: [{ sku: "ANVIL", quantity: 1 }] }, writeA, "idem-twin");
    const answers = await Promise.all([twin(), twin()]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 201]);
    expect(new Set(answers.map((a) => a.body.order.id)).size).toBe(1);
    const after = await counts();
    expect([after.orders - before.orders, after.reserved - before.reserved]).toEqual([1, 1]);
  });

  it("takes wholesale orders on the shop's wholesale channel (opened by its first order)", async () => {
    const { status, body: answer } = await post({ channel: "wholesale", externalId: "PO-77", name: "Wholesale PO-77", lines: [{ sku: "ANVIL", quantity: 3, priceMinor: 3000 }] }, writeA);
    expect(status).toBe(201);
    expect(answer.order).toMatchObject({ channel: "wholesale", channelName: "Wholesale", name: "Wholesale PO-77", status: "reserved" });
    expect((await get("/api/v1/orders?channel=wholesale&externalId=PO-77", readA)).body.orders.map((o: Json) => o.id)).toEqual([answer.order.id]);
    // The same number on the manual channel is another order's natural key.
    expect((await get("/api/v1/orders?channel=manual&externalId=PO-77", readA)).body.orders).toEqual([]);
  });

  it("refuses a bad body with 400 listing every problem, and stores nothing", async () => {
    const before = await counts();
    const schema = await post({ channel: "amazon", currency: "usd", lines: [{ sku: "ANVIL", quantity: 0 }, { sku: "ROPE" }], surprise: true }, writeA, "has space");
    expect(schema.status).toBe(400);
    expect(schema.body.error.code).toBe("ORDER.INVALID");
    const problems: string[] = schema.body.error.details.problems;
    for (const field of ["channel", "currency", "lines.0.quantity", "lines.1.quantity", "(body)", "Idempotency-Key"]) expect(problems.some((p) => p.startsWith(`${field}: `)), field).toBe(true);
    const catalog = await post({ lines: [{ sku: "NOPE", quantity: 1 }, { sku: "ALSO-NOPE", quantity: 2 }] }, writeA, "idem-bad");
    expect(catalog.status).toBe(400);
    expect(catalog.body.error.details.problems).toEqual(["lines.0.sku: no product variant of this shop has SKU NOPE", "lines.1.sku: no product variant of this shop has SKU ALSO-NOPE"]);
    expect((await post([], writeA)).status).toBe(400);
    expect(await counts()).toEqual(before);
    // A refused request holds no key: the corrected one goes through under it.
    expect((await post({ lines: [{ sku: "ROPE", quantity: 1 }] }, writeA, "idem-bad")).status).toBe(201);
  });
});

describe("a revoked key", () => {
  it("is refused with 401 from the moment it is revoked, and shown as revoked", async () => {
    const key = await keyFromSettings(A, "Old integration", "write");
    expect((await get("/api/v1/orders", key)).status).toBe(200);
    const listed = (await settingsPage(A)).apiKeys.find((k) => k.name === "Old integration")!;
    expect(await settingsForm(A, { intent: "revokeApiKey", keyId: listed.id })).toMatchObject({ ok: true });
    for (const answer of [await get("/api/v1/orders", key), await post({ lines: [{ sku: "ROPE", quantity: 1 }] }, key)]) {
      expect([answer.status, answer.body.error.code]).toEqual([401, "AUTH.REVOKED_API_KEY"]);
    }
    expect((await settingsPage(A)).apiKeys.find((k) => k.id === listed.id)!.revokedAt).not.toBeNull();
  });

  it("cannot be revoked from another shop's Settings", async () => {
    const ofA = (await settingsPage(A)).apiKeys.find((k) => k.name === "NetSuite")!;
    expect(await settingsForm(B, { intent: "revokeApiKey", keyId: ofA.id })).toEqual({ ok: false, error: "No such API key in this shop." });
    expect((await get("/api/v1/shop", writeA)).status).toBe(200);
  });
});

describe("app/uninstalled", () => {
  it("revokes the shop's keys: after a reinstall they are still refused, and new ones work", async () => {
    const domain = "keys-uninstall.myshopify.com";
    const shopId = (await ensureShop(domain)).id;
    const key = (await createApiKey(shopId, { name: "ERP", scope: "read" })).text;
    expect((await get("/api/v1/shop", key)).status).toBe(200);
    await uninstallShop(domain);
    expect((await get("/api/v1/shop", key)).status).toBe(401); // revoked
    await installShop(domain); // reinstalled
    expect((await get("/api/v1/shop", key)).status).toBe(401);
    const fresh = (await createApiKey(shopId, { name: "ERP again", scope: "read" })).text;
    expect((await get("/api/v1/shop", fresh)).status).toBe(200);
  });
});
