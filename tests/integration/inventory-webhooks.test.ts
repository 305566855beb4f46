import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { automationLedgerCursor } from "~/.server/db/automation-sql";
import { database } from "~/.server/db/database";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { createWebhookEndpoint } from "~/.server/use-cases/manage-webhook-endpoints";
import { sendDueAutomation } from "~/.server/use-cases/send-automation";
import { sweepAutomation } from "~/.server/use-cases/sweep-automation";
import { DEFAULT_DELIVERY_POLICY, type DeliveryPolicy } from "~/domain/integrations/delivery-policy";
import { addLocation, addSku, channelOrder, ingestOn } from "../support/catalog";
import { queryRows } from "../support/db-query";
import { startWebhookReceiver, type WebhookReceiver } from "../support/webhook-receiver";

// Issue 15, outgoing webhook topic inventory.changed (ADR 0037): every stock ledger entry written after an endpoint
// subscribed becomes one signed delivery; a receiver that fails, times out and then recovers gets each exactly once,
// in ledger order per SKU and location, even with two senders at work; nothing from before the subscription; an
// endpoint not subscribed to the topic gets none.

const SHOP = "inventory-hooks.myshopify.com";
setQueue(new InProcessQueue());
const policy: DeliveryPolicy = { ...DEFAULT_DELIVERY_POLICY, timeoutMs: 300 };
let now = Date.now();
const clock = () => new Date(now);
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let shopId: string;
let receiver: WebhookReceiver;
let orders: WebhookReceiver;

beforeAll(async () => {
  shopId = (await ensureShop(SHOP, { name: "Inventory hooks" })).id;
  receiver = await startWebhookReceiver({ clock, answers: (n) => (n === 0 ? 500 : n === 1 ? "hang" : n === 2 ? 503 : 200) });
  orders = await startWebhookReceiver({ clock, answers: () => 200 });
});
afterAll(async () => {
  await receiver.close();
  await orders.close();
});

describe("inventory.changed", () => {
  it("delivers every ledger entry since the subscription exactly once, in order per SKU and location, through failures and two senders", async () => {
    const newark = (await addLocation(shopId, "inv-1", "newark")).id;
    const dallas = (await addLocation(shopId, "inv-2", "dallas")).id;
    await addSku(shopId, "INV-A", { [newark]: 10, [dallas]: 3 }); // before the subscription: never sent
    await addSku(shopId, "INV-B", { [newark]: 2 });
    await sweepAutomation(shopId, { now: clock() }); // the shop starts: the ledger cursor at its end
    const startedAt = await automationLedgerCursor(database(), shopId);
    expect(startedAt).toBeGreaterThan(0);
    const created = await createWebhookEndpoint(shopId, { url: receiver.url, topics: ["inventory.changed"] }, "test");
    receiver.setSecret(created.secret);
    const other = await createWebhookEndpoint(shopId, { url: orders.url, topics: ["order.created"] }, "test");
    orders.setSecret(other.secret);

    for (let i = 0; i < 5; i++) {
      const o = channelOrder([{ sku: i % 2 === 0 ? "INV-A" : "INV-B", quantity: 1 }], { externalId: `inv-${i}` });
      expect((await ingestOn(SHOP, "manual", o)).kind).toBe("created");
      if (i === 1) await ingestOn(SHOP, "manual", { ...o, cancelledAt: new Date().toISOString(), updatedAt: new Date(Date.now() + 1_000).toISOString() }); // its units go back
    }
    const entries = await queryRows<{ id: number; variantId: string; locationId: string }>(`SELECT "id","variantId","locationId" FROM "InventoryLedgerEntry" WHERE "shopId" = ? AND "id" > ? ORDER BY "id"`, shopId, startedAt);
    expect(entries.length).toBeGreaterThanOrEqual(6);

    now = Date.now() + 10_000; // past PostgreSQL's grace for entries still in flight
    const swept = await sweepAutomation(shopId, { now: clock() });
    expect(swept.added).toBe(entries.length + 5); // one per entry, and the other endpoint's order.created
    expect((await sweepAutomation(shopId, { now: clock(), lookbackMs: 3_600_000 })).added).toBe(0);

    for (let round = 0; round < 10; round++) {
      await Promise.all([sendDueAutomation(shopId, { now: clock, policy }), sendDueAutomation(shopId, { now: clock, policy })]);
      now += 3_600_000;
    }
    const accepted = receiver.accepted();
    expect(accepted.map((d) => (d.body.data as Json).ledgerEntryId).sort((a, b) => a - b)).toEqual(entries.map((e) => Number(e.id))); // each exactly once
    expect(accepted.every((d) => d.topic === "inventory.changed" && d.signature.ok)).toBe(true);
    expect(receiver.received.length).toBe(accepted.length + 3); // the refusals and the timeout were tried again
    for (const key of new Set(entries.map((e) => `${e.variantId}:${e.locationId}`))) {
      const got = accepted.filter((d) => `${(d.body.data as Json).sku.variantId}:${(d.body.data as Json).location.id}` === key).map((d) => (d.body.data as Json).ledgerEntryId as number);
      expect(got).toEqual(entries.filter((e) => `${e.variantId}:${e.locationId}` === key).map((e) => Number(e.id)));
    }
    const first = accepted.find((d) => (d.body.data as Json).bucket === "reserved")!;
    expect(first.body).toMatchObject({ topic: "inventory.changed", shop: SHOP, data: { sku: { sku: expect.stringMatching(/^INV-/) }, location: { name: expect.any(String) }, delta: expect.any(Number), reason: expect.any(String) } });
    expect(orders.accepted().every((d) => d.topic === "order.created")).toBe(true);
    expect(orders.accepted()).toHaveLength(5);
  });
});
