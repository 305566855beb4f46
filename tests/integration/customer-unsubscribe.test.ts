import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { saveNotificationSettings } from "~/.server/db/notifications-sql";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { smtpMailer } from "~/.server/notifications/smtp-mailer";
import { readUnsubscribeToken, unsubscribeToken } from "~/.server/notifications/unsubscribe-token";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { signAppProxy } from "~/.server/shopify/verify-app-proxy";
import { sendDueNotifications, UNSUBSCRIBED_ERROR } from "~/.server/use-cases/send-notifications";
import { sweepNotifications } from "~/.server/use-cases/sweep-notifications";
import { action as oneClickAction, loader as oneClickLoader } from "~/routes/notifications.unsubscribe";
import { action as portalAction, loader as portalLoader } from "~/routes/proxy";
import { startSmtpSink, type SmtpSink } from "../../sandbox/smtp/server";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { remixRequestHandler } from "../support/remix-app";
import { execute, queryNumber, queryRows } from "../support/db-query";

// Issue 14, "customers can opt out of non-essential messages" by themselves (ADR 0038): a courtesy notice (the order
// confirmation) arrives with an unsubscribe link to the store's app-proxy page and RFC 8058's List-Unsubscribe /
// List-Unsubscribe-Post headers; the page's button (POST) and the one-click POST record the opt-out once; a changed
// or forged token, or another shop's, is refused and records nothing; afterwards a courtesy notice to that address is
// not sent (neither decided nor, when already queued, sent) while an essential one (backorder) is — without any link.

const SHOP = "unsubscribe.myshopify.com";
const OTHER = "unsubscribe-other.myshopify.com";
const SECRET = process.env.SHOPIFY_API_SECRET!;
const CUSTOMER = "Ana.Lopez@Example.com";
setQueue(new InProcessQueue()); // jobs the pipeline enqueues are recorded, not run

let shopId: string;
let sink: SmtpSink;
let clock = Date.now() + 1_000;
const tick = () => new Date((clock += 1_000));

beforeAll(async () => {
  shopId = (await ensureShop(SHOP, { name: "Shop & Co" })).id;
  await ensureShop(OTHER, { name: "Other" });
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
});

function signed(params: Record<string, string> = {}, shop = SHOP): URLSearchParams {
  const q = new URLSearchParams({ shop, path_prefix: "/apps/orders", timestamp: String(Math.floor(Date.now() / 1000)), ...params });
  q.set("signature", signAppProxy(q, SECRET));
  return q;
}
const proxyGet = (q: URLSearchParams) => portalLoader({ request: new Request(`http://127.0.0.1:3999/proxy?${q}`), params: {}, context: {} }) as Promise<Response>;
const proxyPost = (q: URLSearchParams, form: Record<string, string>) => portalAction({
  request: new Request(`http://127.0.0.1:3999/proxy?${q}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-For": "203.0.113.9" }, body: new URLSearchParams(form).toString() }),
  params: {}, context: {},
}) as Promise<Response>;
const oneClick = (url: string) => oneClickAction({
  request: new Request(url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" }), params: {}, context: {},
}) as Promise<Response>;
const optOuts = () => queryNumber(`SELECT COUNT(*) FROM "NotificationOptOut" WHERE "shopId" = ?`, shopId);
const outbox = () => queryRows<{ kind: string; orderId: string; status: string; lastError: string | null }>(`SELECT "kind","orderId","status","lastError" FROM "Notification" WHERE "shopId" = ?`, shopId);

async function take(lines: { sku: string; quantity: number }[]): Promise<string> {
  const outcome = await ingestOn(SHOP, "manual", { ...channelOrder(lines), email: CUSTOMER });
  if (outcome.kind !== "created") throw new Error(`order not created: ${outcome.kind}`);
  return outcome.orderId;
}

describe("a customer's own unsubscribe", () => {
  let oneClickUrl: string;
  let token: string;
  let queuedBefore: string;

  it("a courtesy notice carries the unsubscribe link and the RFC 8058 headers; an essential one neither", async () => {
    expect(await sweepNotifications(shopId)).toEqual({ events: 0, added: 0 }); // the shop starts now
    await database().transaction((tx) => saveNotificationSettings(tx, shopId, { confirmationEnabled: true, language: "en" }));
    const newark = (await addLocation(shopId, "u1", "newark")).id;
    await addSku(shopId, "UNSUB-EAST", { [newark]: 10 });
    const scarce = await addSku(shopId, "UNSUB-SCARCE", { [newark]: 0 });
    await execute(`UPDATE "InventoryLevel" SET "incoming" = 5, "incomingExpectedAt" = ? WHERE "shopId" = ? AND "variantId" = ?`, "2026-12-24T00:00:00.000Z", shopId, scarce.id);
    await take([{ sku: "UNSUB-EAST", quantity: 1 }]);
    await take([{ sku: "UNSUB-SCARCE", quantity: 1 }]); // a confirmation and a backorder notice
    expect((await sweepNotifications(shopId, { now: tick() })).added).toBe(3);
    const mailer = smtpMailer(sink.smtpUrl);
    expect(await sendDueNotifications(shopId, { mailer, now: tick })).toMatchObject({ sent: 3 });
    mailer.close();

    const received = sink.messages();
    const confirmations = received.filter((m) => /confirm/i.test(m.subject));
    const backorder = received.find((m) => !/confirm/i.test(m.subject))!;
    expect(confirmations).toHaveLength(2);
    for (const m of confirmations) {
      expect(m.listHeaders?.["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
      expect(m.listHeaders?.["list-unsubscribe"]).toMatch(/^<http:\/\/.+\/notifications\/unsubscribe\?token=[A-Za-z0-9_.-]+>$/);
      expect(m.text).toMatch(new RegExp(`Unsubscribe: https://${SHOP}/apps/orders\\?unsubscribe=`));
      expect(m.html).toContain(`<a href="https://${SHOP}/apps/orders?unsubscribe=`);
    }
    expect(backorder.listHeaders).toEqual({});
    expect(backorder.text).not.toContain("unsubscribe");
    expect(backorder.html).not.toContain("unsubscribe");
    oneClickUrl = confirmations[0].listHeaders!["list-unsubscribe"].slice(1, -1);
    token = new URL(oneClickUrl).searchParams.get("token")!;
    expect(readUnsubscribeToken(SECRET, token)).toEqual({ purpose: "non_essential", shopDomain: SHOP, email: CUSTOMER.toLowerCase() });
  });

  it("refuses a changed, forged or other shop's token and records nothing", async () => {
    // A confirmation queued (decided) before the customer unsubscribes, not yet sent.
    queuedBefore = await take([{ sku: "UNSUB-EAST", quantity: 1 }]);
    expect((await sweepNotifications(shopId, { now: tick() })).added).toBe(1);

    const [payload, mac] = token.split(".");
    const otherAddress = `${Buffer.from(`non_essential\n${SHOP}\nsomeone@example.com`).toString("base64url")}.${mac}`;
    const flipped = `${payload}.${mac.slice(0, -1)}${mac.endsWith("A") ? "B" : "A"}`;
    const wrongKey = unsubscribeToken("not the app's secret", SHOP, CUSTOMER.toLowerCase());
    for (const bad of [otherAddress, flipped, wrongKey, "", "x.y", `${token}.extra`]) {
      expect(readUnsubscribeToken(SECRET, bad)).toBeNull();
      expect((await oneClick(`http://127.0.0.1/notifications/unsubscribe?${new URLSearchParams({ token: bad })}`)).status).toBe(404);
      expect((await proxyGet(signed({ unsubscribe: bad }))).status).toBe(404);
      expect((await proxyPost(signed(), { intent: "unsubscribe", token: bad })).status).toBe(404);
    }
    // A valid token of this shop, through another shop's proxy, is refused as well; an unsigned request never gets in.
    expect((await proxyGet(signed({ unsubscribe: token }, OTHER))).status).toBe(404);
    expect((await proxyPost(signed({}, OTHER), { intent: "unsubscribe", token })).status).toBe(404);
    const unsigned = new URLSearchParams({ shop: SHOP, timestamp: String(Math.floor(Date.now() / 1000)), unsubscribe: token });
    expect((await proxyGet(unsigned)).status).toBe(401);
    expect(await optOuts()).toBe(0);
  });

  it("the store's page asks first (GET changes nothing); its button and the one-click POST record the opt-out once", async () => {
    const page = await proxyGet(signed({ unsubscribe: token }));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/apps/orders"><input type="hidden" name="intent" value="unsubscribe">');
    expect(html).toContain("a********@example.com");
    expect(html).toContain("Shop &amp; Co");
    expect(await optOuts()).toBe(0);
    const opened = (await oneClickLoader({ request: new Request(oneClickUrl), params: {}, context: {} })) as Response;
    expect(opened.status).toBe(303); // a GET of the one-click URL (a person, a link scanner) only leads to the page
    expect(opened.headers.get("Location")).toBe(`https://${SHOP}/apps/orders?${new URLSearchParams({ unsubscribe: token })}`);
    expect(await optOuts()).toBe(0);

    const done = await proxyPost(signed(), { intent: "unsubscribe", token });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("You are unsubscribed");
    expect((await proxyPost(signed(), { intent: "unsubscribe", token })).status).toBe(200);
    expect((await oneClick(oneClickUrl)).status).toBe(200);
    // The List-Unsubscribe URL is served by the app's route table as it is (the provider's POST, no proxy, no session).
    const handle = await remixRequestHandler();
    const viaApp = await handle(new Request(`http://127.0.0.1:3999${new URL(oneClickUrl).pathname}${new URL(oneClickUrl).search}`, {
      method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click",
    }));
    expect(viaApp.status).toBe(200);
    expect(await viaApp.text()).toContain("will no longer receive optional e-mails");
    expect(await queryRows(`SELECT "email" FROM "NotificationOptOut" WHERE "shopId" = ?`, shopId)).toEqual([{ email: CUSTOMER.toLowerCase() }]);
    expect((await proxyGet(signed({ unsubscribe: token }))).status).toBe(200); // the page still opens, saying so
  });

  it("afterwards a courtesy notice is not sent to that address, an essential one still is", async () => {
    const later = await take([{ sku: "UNSUB-EAST", quantity: 1 }, { sku: "UNSUB-SCARCE", quantity: 1 }]); // confirmation + backorder
    const swept = await sweepNotifications(shopId, { now: tick() });
    expect(swept.added).toBe(1);
    expect((await outbox()).filter((r) => r.orderId === later).map((r) => r.kind)).toEqual(["backorder"]);
    const before = sink.messages().length;
    const mailer = smtpMailer(sink.smtpUrl);
    expect(await sendDueNotifications(shopId, { mailer, now: tick })).toMatchObject({ sent: 1, failed: 1 });
    mailer.close();
    const sent = sink.messages().slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0].subject).not.toMatch(/confirm/i);
    expect(sent[0].listHeaders).toEqual({});
    // The confirmation queued before the opt-out was not sent either: failed, saying why.
    expect((await outbox()).filter((r) => r.orderId === queuedBefore)).toEqual([{ kind: "order_confirmation", orderId: queuedBefore, status: "failed", lastError: UNSUBSCRIBED_ERROR }]);
  });
});
