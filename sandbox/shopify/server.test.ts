import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { startOrderStream } from "./order-stream";
import { startTestSandbox, TEST_APP, TEST_SHOP } from "./test-support";

let cleanup: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

/** A stand-in for the app: records webhook topics and whether each HMAC verified. */
async function fakeApp() {
  const seen: Array<{ topic: string; verified: boolean; body: string }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const hmac = createHmac("sha256", TEST_APP.apiSecret).update(body).digest("base64");
      seen.push({ topic: String(req.headers["x-shopify-topic"]), verified: hmac === req.headers["x-shopify-hmac-sha256"], body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

describe("sandbox server", () => {
  it("binds 127.0.0.1, answers /healthz and 404s unknown paths", async () => {
    const sandbox = await startTestSandbox();
    cleanup.push(() => sandbox.close());
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${sandbox.url}/healthz`)).json()).toEqual({ ok: true, shops: [TEST_SHOP] });
    expect((await fetch(`${sandbox.url}/nope`)).status).toBe(404);
  });

  it("control API creates orders and delivers their signed orders/create webhooks", async () => {
    const app = await fakeApp();
    const sandbox = await startTestSandbox({ appUrl: app.url });
    cleanup.push(() => sandbox.close());
    const res = await fetch(`${sandbox.url}/_sandbox/orders`, { method: "POST", body: JSON.stringify({ count: 3, seed: 5 }) });
    expect(res.status).toBe(201);
    const text = await res.text();
    const { orders, deliveries } = JSON.parse(text) as { orders: { admin_graphql_api_id: string }[]; deliveries: { ok: boolean }[] };
    expect(orders).toHaveLength(3);
    expect(deliveries.every((d) => d.ok)).toBe(true);
    expect(app.seen.map((s) => [s.topic, s.verified])).toEqual(Array(3).fill(["orders/create", true]));
    const id = orders[0].admin_graphql_api_id.split("/").pop()!;
    expect(text).toContain(`"id":${id}`); // exact 64-bit ids in the control API too

    const cancel = await fetch(`${sandbox.url}/_sandbox/orders/${id}/cancel`, { method: "POST", body: "{}" });
    expect(cancel.status).toBe(200);
    expect(app.seen.slice(3).map((s) => s.topic)).toEqual(["orders/cancelled", "orders/updated"]);
    const state = await (await fetch(`${sandbox.url}/_sandbox/state`)).json();
    expect(state).toMatchObject({ orders: 3, locations: 3 });
  });

  it("the demo order stream keeps orders arriving until stopped", async () => {
    const app = await fakeApp();
    const sandbox = await startTestSandbox({ appUrl: app.url });
    cleanup.push(() => sandbox.close());
    const lines: string[] = [];
    const stream = startOrderStream({ sandbox, shop: TEST_SHOP, intervalMs: 20, log: (l) => lines.push(l), duplicateEvery: 2 });
    await expect.poll(() => stream.count(), { timeout: 5000 }).toBeGreaterThanOrEqual(3);
    stream.stop();
    const count = stream.count();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(stream.count()).toBe(count);
    expect(lines[0]).toMatch(/^order #1001 .* → orders\/create 200/);
    expect(app.seen.length).toBeGreaterThan(count); // every second order was delivered twice
  });
});
