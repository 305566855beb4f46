import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { latestDecisionId } from "~/.server/db/pipeline-sql";
import { redactCustomerData } from "~/.server/db/privacy";
import { addOptOut, saveNotificationSettings } from "~/.server/db/notifications-sql";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { smtpMailer } from "~/.server/notifications/smtp-mailer";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { completeRouting } from "~/.server/use-cases/complete-routing";
import { sendDueNotifications } from "~/.server/use-cases/send-notifications";
import { shipOrder } from "~/.server/use-cases/ship-order";
import { sweepNotifications } from "~/.server/use-cases/sweep-notifications";
import { startSmtpSink, type SmtpSink } from "../../sandbox/smtp/server";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { execute, queryRows } from "../support/db-query";

// Issue 14, customer notifications (ADR 0024): the order events the pipeline already writes become e-mails in an
// outbox keyed by what they are about — a split shipment, a backorder with the date its stock is expected, a
// shipment we recorded with its tracking link, and confirmations once turned on (not for an opted-out customer) —
// read twice, they add nothing. Sent through a real SMTP server (the sandbox sink): while it is down every message
// waits and is retried; when it is back each arrives exactly once, even with two senders at work. A redacted
// customer's messages are erased.

const SHOP = "notifications.myshopify.com";
setQueue(new InProcessQueue()); // jobs the pipeline enqueues are recorded, not run

let shopId: string;
let sink: SmtpSink;
const later = (ms: number) => new Date(Date.now() + ms);

beforeAll(async () => {
  shopId = (await ensureShop(SHOP, { name: "Notify & Co" })).id;
  sink = await startSmtpSink();
});
afterAll(async () => {
  await sink.close();
});

type Row = { kind: string; key: string; status: string; recipient: string; subject: string; bodyText: string; bodyHtml: string; attempts: number | string; lastError: string | null; orderId: string };
const outbox = async () => (await queryRows<Row>(`SELECT "kind","key","status","recipient","subject","bodyText","bodyHtml","attempts","lastError","orderId" FROM "Notification" WHERE "shopId" = ?`, shopId)).sort((a, b) => a.key.localeCompare(b.key));

describe("customer notifications", () => {
  const orders: Record<string, { id: string; email: string }> = {};

  it("decides the notices from the audit trail, once per effect", async () => {
    expect(await sweepNotifications(shopId)).toEqual({ events: 0, added: 0 }); // the shop starts now: nothing earlier is notified
    await database().transaction((tx) => saveNotificationSettings(tx, shopId, { confirmationEnabled: true, language: "en" }));
    const newark = (await addLocation(shopId, "n1", "newark")).id;
    const dallas = (await addLocation(shopId, "d1", "dallas")).id;
    await addSku(shopId, "EAST", { [newark]: 10 });
    await addSku(shopId, "WEST", { [dallas]: 10 });
    const scarce = await addSku(shopId, "SCARCE", { [newark]: 0 });
    await execute(`UPDATE "InventoryLevel" SET "incoming" = 5, "incomingExpectedAt" = ? WHERE "shopId" = ? AND "variantId" = ?`, "2026-12-24T00:00:00.000Z", shopId, scarce.id);

    const take = async (label: string, lines: { sku: string; quantity: number }[]) => {
      const o = channelOrder(lines);
      const outcome = await ingestOn(SHOP, "manual", o);
      if (outcome.kind !== "created") throw new Error(`order ${label} not created: ${outcome.kind}`);
      orders[label] = { id: outcome.orderId, email: o.email! };
    };
    await take("split", [{ sku: "EAST", quantity: 1 }, { sku: "WEST", quantity: 1 }]);
    await take("backordered", [{ sku: "SCARCE", quantity: 2 }]);
    await take("shipped", [{ sku: "EAST", quantity: 1 }]);
    await database().transaction((tx) => addOptOut(tx, shopId, orders.backordered.email.toLowerCase()));
    for (const label of ["split", "shipped"]) {
      const decisionId = await latestDecisionId(database(), shopId, orders[label].id);
      expect(await completeRouting({ shopId, orderId: orders[label].id, decisionId: decisionId! })).toBe("applied");
    }
    const shipment = await shipOrder(shopId, orders.shipped.id, { carrier: "UPS", trackingNumber: "1ZNOTIFY01" }, { actor: "test" });

    const first = await sweepNotifications(shopId, { now: later(1_000) });
    expect(first.added).toBe(5);
    const rows = await outbox();
    expect(rows.map((r) => [r.kind, r.key, r.status])).toEqual([
      ["backorder", `backordered:${orders.backordered.id}`, "pending"],
      ["order_confirmation", `order_confirmation:${orders.shipped.id}`, "pending"],
      ["order_confirmation", `order_confirmation:${orders.split.id}`, "pending"],
      ["shipped", `shipped:${shipment.shipment.id}`, "pending"],
      ["split_shipment", `split:${orders.split.id}`, "pending"],
    ].sort((x, y) => x[1].localeCompare(y[1]))); // the opted-out customer gets the (essential) backorder notice, not the confirmation
    const backorder = rows.find((r) => r.kind === "backorder")!;
    expect(backorder.bodyText).toContain("Expected: 2026-12-24.");
    const shipped = rows.find((r) => r.kind === "shipped")!;
    expect(shipped.bodyHtml).toContain('<a href="https://www.ups.com/track?tracknum=1ZNOTIFY01">');
    expect(rows.find((r) => r.kind === "split_shipment")!.subject).toMatch(/ships in 2 parcels$/);
    expect(rows.find((r) => r.key === `order_confirmation:${orders.split.id}`)!.bodyHtml).toContain("Notify &amp; Co");

    expect((await sweepNotifications(shopId, { now: later(2_000) })).added).toBe(0); // the same events read again add nothing
    expect(await outbox()).toHaveLength(5);
  });

  it("keeps every message while the SMTP server is down and sends each exactly once when it is back", async () => {
    await sink.stopSmtp();
    const mailer = smtpMailer(sink.smtpUrl);
    const soon = () => later(5_000); // the rows were written at the sweep's time (a second ahead)
    const down = await sendDueNotifications(shopId, { mailer, now: soon });
    expect(down).toEqual({ sent: 0, retrying: 5, failed: 0 });
    let rows = await outbox();
    expect(rows.every((r) => r.status === "pending" && Number(r.attempts) === 1 && (r.lastError ?? "").length > 0)).toBe(true);
    expect(await sendDueNotifications(shopId, { mailer, now: soon })).toEqual({ sent: 0, retrying: 0, failed: 0 }); // not due before its backoff

    await sink.startSmtp();
    const afterBackoff = () => later(3_600_000);
    const [a, b] = await Promise.all([sendDueNotifications(shopId, { mailer, now: afterBackoff }), sendDueNotifications(shopId, { mailer, now: afterBackoff })]);
    expect(a.sent + b.sent).toBe(5);
    expect(await sendDueNotifications(shopId, { mailer, now: afterBackoff })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    rows = await outbox();
    expect(rows.every((r) => r.status === "sent" && Number(r.attempts) === 2 && r.lastError === null)).toBe(true);

    const received = sink.messages();
    expect(received).toHaveLength(5);
    expect(new Set(received.map((m) => m.messageId)).size).toBe(5);
    expect(received.map((m) => m.envelopeTo[0]).sort()).toEqual(rows.map((r) => r.recipient).sort());
    const shipped = received.find((m) => m.subject.includes("is on its way"))!;
    expect(shipped.text).toContain("Tracking number: 1ZNOTIFY01");
    expect(shipped.html).toContain("https://www.ups.com/track?tracknum=1ZNOTIFY01");
    expect(shipped.from).toContain(`no-reply@${SHOP}`);
    const page = await (await fetch(sink.url)).text();
    expect(page).toContain("5 message(s) received");
    mailer.close();
  });

  it("erases a redacted customer's messages and sends them nothing more", async () => {
    const result = await redactCustomerData(SHOP, { customerExternalId: null, email: orders.split.email, orderExternalIds: [] });
    expect(result.notificationsErased).toBe(2); // the split notice and the confirmation
    const rows = await outbox();
    expect(rows.some((r) => r.orderId === orders.split.id || r.recipient === orders.split.email)).toBe(false);
    expect(rows).toHaveLength(3);
    expect((await sweepNotifications(shopId, { now: later(3_000) })).added).toBe(0); // its events, read again, find no address
  });
});
