import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { saveReturnPolicy } from "~/.server/db/returns-sql";
import { smtpMailer } from "~/.server/notifications/smtp-mailer";
import { setCarrierPort } from "~/.server/returns/carrier-port";
import { signAppProxy } from "~/.server/shopify/verify-app-proxy";
import { changeReturn } from "~/.server/use-cases/change-return";
import { requestReturn } from "~/.server/use-cases/request-return";
import { sendDueNotifications } from "~/.server/use-cases/send-notifications";
import { sweepNotifications } from "~/.server/use-cases/sweep-notifications";
import { defaultReturnPolicy } from "~/domain/returns/policy";
import { loader as portalLoader } from "~/routes/proxy";
import { sandboxCarrier } from "../../sandbox/returns/sandbox-carrier";
import { fulfillOrder } from "../../sandbox/shopify/order-events";
import { startSmtpSink, type SmtpSink } from "../../sandbox/smtp/server";
import { queryRow, queryRows } from "../support/db-query";
import { orderState, startShopFixture, type ShopFixture } from "../support/shop-with-sandbox";

// Issue 14, return e-mails (ADR 0036): the returns core's audit events become e-mails through the existing outbox —
// a requested and approved return queues exactly "requested" (with the RMA and a label link that opens the PDF
// through the app proxy) and "approved", once however often the trail is read, and each arrives once by SMTP.

const SHOP = "return-mails.myshopify.com";
const SECRET = process.env.SHOPIFY_API_SECRET!;
let f: ShopFixture;
let sink: SmtpSink;
const later = (ms: number) => new Date(Date.now() + ms);

beforeAll(async () => {
  f = await startShopFixture(SHOP);
  sink = await startSmtpSink();
  setCarrierPort(sandboxCarrier());
  await database().transaction((tx) => saveReturnPolicy(tx, f.shopId, { ...defaultReturnPolicy(), receivingLocationIds: [f.site("newark").id] }));
});
afterAll(async () => {
  setCarrierPort(null);
  await sink.close();
  await f.close();
});

type Row = { kind: string; key: string; recipient: string; subject: string; bodyText: string; bodyHtml: string; orderId: string };
const outbox = () => queryRows<Row>(`SELECT "kind","key","recipient","subject","bodyText","bodyHtml","orderId" FROM "Notification" WHERE "shopId" = ? ORDER BY "kind"`, f.shopId);

describe("return e-mails", () => {
  it("a requested and approved return queues exactly its requested and approved e-mails, sent once", async () => {
    expect((await sweepNotifications(f.shopId)).added).toBe(0); // the shop's notices start now
    const item = await f.skuWithStock({ newark: 5 });
    const order = await f.placeOrder([{ sku: item.sku, quantity: 1 }]);
    await f.deliver("fulfillments/create", fulfillOrder(f.sandbox.store, SHOP, order.id, { locationId: f.site("newark").shopifyId }));
    const { orderId } = await orderState(f, order.id);
    const line = (await queryRow<{ id: string }>(`SELECT "id" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ?`, f.shopId, orderId))!;
    const asked = await requestReturn(f.shopId, { orderId, lines: [{ orderLineId: line.id, quantity: 1, reason: "damaged" }], source: "portal" });
    if (!asked.ok) throw new Error(asked.error);
    const rma = asked.rma.number;
    const approved = await changeReturn(f.shopId, rma, { type: "approve" }, { actor: "merchant" });
    expect(approved.ok).toBe(true);
    const returnId = (await queryRow<{ id: string }>(`SELECT "id" FROM "ReturnRequest" WHERE "shopId" = ? AND "number" = ?`, f.shopId, rma))!.id;

    const swept = await sweepNotifications(f.shopId, { now: later(1_000) });
    expect(swept.added).toBe(2); // a Shopify order: no confirmation (off), no shipped notice (Shopify sends it), one location
    const rows = await outbox();
    expect(rows.map((r) => [r.kind, r.key, r.recipient, r.orderId])).toEqual([
      ["return_approved", `return_approved:${returnId}`, order.email, orderId],
      ["return_requested", `return_requested:${returnId}`, order.email, orderId],
    ]);
    const requested = rows.find((r) => r.kind === "return_requested")!;
    expect(requested.subject).toBe(`Return ${rma} for order ${order.name} is requested`);
    expect(requested.bodyText).toContain(`Your return number (RMA) is ${rma}.`);
    const link = /Print your prepaid return label: (\S+)/.exec(requested.bodyText)?.[1];
    expect(link).toMatch(new RegExp(`^https://${SHOP.replaceAll(".", "\\.")}/apps/orders\\?label=${rma}&t=[A-Za-z0-9_-]{32}$`));
    expect(requested.bodyHtml).toContain(`<a href="${link!.replace("&", "&amp;")}">`);
    // The link opens the label PDF as Shopify's proxy forwards it (signed).
    const q = new URLSearchParams({ shop: SHOP, path_prefix: "/apps/orders", timestamp: String(Math.floor(Date.now() / 1000)), ...Object.fromEntries(new URL(link!).searchParams) });
    q.set("signature", signAppProxy(q, SECRET));
    const pdf = (await portalLoader({ request: new Request(`http://127.0.0.1:3999/proxy?${q}`), params: {}, context: {} })) as Response;
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");

    // Read again (the sweep looks back): nothing more.
    expect((await sweepNotifications(f.shopId, { now: later(2_000) })).added).toBe(0);
    expect(await outbox()).toHaveLength(2);

    const mailer = smtpMailer(sink.smtpUrl);
    expect(await sendDueNotifications(f.shopId, { mailer, now: () => later(3_000) })).toMatchObject({ sent: 2 });
    expect(await sendDueNotifications(f.shopId, { mailer, now: () => later(4_000) })).toMatchObject({ sent: 0 });
    const received = sink.messages().filter((m) => m.envelopeTo.includes(order.email!));
    expect(received.map((m) => m.subject).sort()).toEqual([`Return ${rma} for order ${order.name} is approved`, `Return ${rma} for order ${order.name} is requested`]);
  });
});
