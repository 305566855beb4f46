import { createHmac } from "node:crypto";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { acceptWebhook, receiveWebhook } from "~/.server/use-cases/receive-webhook";
import { MAX_WEBHOOK_BODY_BYTES } from "~/domain/shared/limits";
import { webhookIntake } from "../../server";
import { queryRow } from "../support/db-query";
import { remixRequestHandler } from "../support/remix-app";
import { BROWSER_UA } from "../support/requests";
import { shopifyOrderBody } from "../support/orders";
import { signWebhookBody, webhookRequest } from "../support/webhooks";
import { addSession } from "../support/sessions";

// Wrong requests get the answer HTTP has for them — through the app's whole Remix route table, as a real
// request meets it — never a 500, a destroyed socket or a 400 that hides what is wrong.

const SHOP = "answers.myshopify.com";
const APP = "http://127.0.0.1:3999";
setQueue(new InProcessQueue());
let handle: (request: Request) => Promise<Response>;

/** An HS256 session token with exactly these claims, signed with the app's secret (a genuine signature). */
function signedToken(claims: Record<string, unknown>): string {
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const head = b64({ alg: "HS256", typ: "JWT" });
  const body = b64(claims);
  return `${head}.${body}.${createHmac("sha256", process.env.SHOPIFY_API_SECRET!).update(`${head}.${body}`).digest("base64url")}`;
}
const now = () => Math.floor(Date.now() / 1000);
const claimsFor = (shop: string) => ({ iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: process.env.SHOPIFY_API_KEY, sub: "1", exp: now() + 60, nbf: now(), iat: now(), jti: "j", sid: "s" });
const bearer = (token: string, init: RequestInit = {}) => ({ ...init, headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_UA, ...(init.headers as Record<string, string>) } });
const goodToken = () => signedToken(claimsFor(SHOP));

beforeAll(async () => {
  handle = await remixRequestHandler();
  await ensureShop(SHOP);
  await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: "shpat_x", scope: process.env.SCOPES ?? "read_orders", expires: new Date(Date.now() + 86_400_000), refreshToken: "r", refreshTokenExpires: new Date(Date.now() + 30 * 86_400_000) });
});

describe("the login page", () => {
  it("GET /auth/login shows a form for the shop's domain", async () => {
    const response = await handle(new Request(`${APP}/auth/login`, { headers: { "User-Agent": BROWSER_UA } }));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/<form[^>]*method="post"/);
    expect(html).toMatch(/name="shop"/);
  });

  it("sends a shop domain on to that shop's admin to install or open the app; a bad one is said so", async () => {
    const form = (shop: string) => new Request(`${APP}/auth/login`, { method: "POST", headers: { "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ shop }) });
    const response = await handle(form("my-shop"));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`https://admin.shopify.com/store/my-shop/oauth/install?client_id=${process.env.SHOPIFY_API_KEY}`);
    const bad = await handle(form("not a shop!"));
    expect(bad.status).toBe(200);
    expect(await bad.text()).toContain("Enter a valid shop domain");
  });
});

describe("session tokens no clock can make valid get 401", () => {
  const cases: [string, () => string][] = [
    ["dest is not a shop domain", () => signedToken({ ...claimsFor(SHOP), iss: "https://evil.example.com/admin", dest: "https://evil.example.com" })],
    ["dest is not a URL at all", () => signedToken({ ...claimsFor(SHOP), dest: "nope" })],
    ["no exp", () => { const { exp: _exp, ...rest } = claimsFor(SHOP); return signedToken(rest); }],
    ["iss and dest disagree", () => signedToken({ ...claimsFor(SHOP), iss: "https://other-shop.myshopify.com/admin" })],
  ];
  it.each(cases)("%s: 401 on /api/v1 and on /app data requests", async (_label, token) => {
    for (const path of ["/api/v1/shop", "/app/orders.data"]) {
      const response = await handle(new Request(`${APP}${path}`, bearer(token())));
      expect(response.status, path).toBe(401);
    }
  });

  it("a genuine token still gets the shop", async () => {
    const response = await handle(new Request(`${APP}/api/v1/shop`, bearer(goodToken())));
    expect(response.status).toBe(200);
    expect((await response.json()).shop.domain).toBe(SHOP);
  });
});

describe("methods a route does not take: 405 with Allow", () => {
  it.each([
    ["GET", "/api/v1/inventory/receipts", "POST"],
    ["GET", "/api/v1/routing/simulate", "POST"],
    ["POST", "/api/v1/shop", "GET"],
    ["PUT", "/api/v1/orders", "GET, POST"],
    ["GET", "/webhooks/orders_create", "POST"],
  ])("%s %s → 405, Allow: %s", async (method, path, allow) => {
    const response = await handle(new Request(`${APP}${path}`, bearer(goodToken(), { method, ...(method === "POST" ? { body: "{}", headers: { "Content-Type": "application/json" } } : {}) })));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe(allow);
    expect((await response.json()).error.code).toBe("METHOD.NOT_ALLOWED");
  });
});

describe("a form action sent something other than a form", () => {
  it.each(["/app/settings", "/app/routing", "/auth/login"])("%s: JSON → 415, a broken multipart body → 400", async (path) => {
    const json = await handle(new Request(`${APP}${path}`, bearer(goodToken(), { method: "POST", body: JSON.stringify({ intent: "save" }), headers: { "Content-Type": "application/json" } })));
    expect(json.status).toBe(415);
    const broken = await handle(new Request(`${APP}${path}`, bearer(goodToken(), { method: "POST", body: "not multipart", headers: { "Content-Type": "multipart/form-data; boundary=x" } })));
    expect(broken.status).toBe(400);
  });
});

describe("a webhook body over the limit gets 413, not a destroyed socket", () => {
  const tooBig = `{"pad":"${"x".repeat(MAX_WEBHOOK_BODY_BYTES)}"}`;

  it("on the Remix webhook routes: 413 and nothing stored", async () => {
    const response = await receiveWebhook(webhookRequest({ topic: "orders/create", shop: SHOP, body: tooBig, eventId: "too-big-remix" }), "orders/create");
    expect(response.status).toBe(413);
    expect(await queryRow(`SELECT "id" FROM "WebhookInbox" WHERE "eventId" = ?`, "too-big-remix")).toBeUndefined();
  });

  describe("on server.ts's lean intake", () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      const intake = webhookIntake({ routes: { "routes/webhooks.orders_create": { id: "routes/webhooks.orders_create", path: "webhooks/orders_create", module: { WEBHOOK_TOPIC: "orders/create" } as never } } }, { acceptWebhook });
      server = createServer((req, res) => {
        if (!intake(req, res)) res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    /** POST over node:http, the body declared (Content-Length) or streamed in chunks (no length). */
    const send = (body: string, eventId: string, chunked: boolean) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const headers: Record<string, string> = {
          "content-type": "application/json", "x-shopify-topic": "orders/create", "x-shopify-shop-domain": SHOP, "x-shopify-event-id": eventId,
          "x-shopify-webhook-id": eventId, "x-shopify-hmac-sha256": signWebhookBody(body, process.env.SHOPIFY_API_SECRET!), "x-shopify-api-version": "2026-01",
        };
        if (!chunked) headers["content-length"] = String(Buffer.byteLength(body));
        const req = httpRequest({ host: "127.0.0.1", port, path: "/webhooks/orders_create", method: "POST", headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        });
        req.on("error", reject);
        if (chunked) for (let i = 0; i < body.length; i += 65_536) req.write(body.slice(i, i + 65_536));
        else req.write(body);
        req.end();
      });

    it.each([false, true])("chunked %s: 413 with a reason, nothing stored; a body within the limit still goes in", async (chunked) => {
      const answer = await send(tooBig, `too-big-lean-${chunked}`, chunked);
      expect(answer).toEqual({ status: 413, text: `A webhook body is at most ${MAX_WEBHOOK_BODY_BYTES} bytes` });
      expect(await queryRow(`SELECT "id" FROM "WebhookInbox" WHERE "eventId" = ?`, `too-big-lean-${chunked}`)).toBeUndefined();
      expect((await send(shopifyOrderBody(), `fits-lean-${chunked}`, chunked)).status).toBe(200);
    });
  });
});
