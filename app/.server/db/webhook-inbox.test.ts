import { beforeAll, describe, expect, it } from "vitest";
import { queryRow } from "../../../tests/support/db-query";
import { database } from "./database";
import { ensureShop } from "./shops";
import { findInboxEntry, recordWebhook } from "./webhook-inbox";

// The inbox keeps the body byte-exact whether it arrives as bytes (the lean intake: never decoded in JS)
// or as a string, and stores it as text that a plain SELECT reads like any other (on either database).

const body = `{"id":5000000000000000123,"note":"Crème brûlée — 🍮","total_price":"12.50"}`;
const SHOP = "inbox-bytes.myshopify.com";
const entry = (eventId: string, payload: string | Buffer) => ({ shopDomain: "inbox-bytes.myshopify.com", topic: "orders/create", eventId, webhookId: `w-${eventId}`, payload });

describe("recordWebhook", () => {
  beforeAll(async () => {
    await ensureShop("inbox-bytes.myshopify.com"); // installed: its webhooks are taken in
  });

  it("stores a byte body as the same UTF-8 text a string body gives, readable by a plain query", async () => {
    const fromBytes = await recordWebhook(entry("e-bytes", Buffer.from(body, "utf8")));
    const fromString = await recordWebhook(entry("e-string", body));
    expect(fromBytes.kind).toBe("new");
    expect((await findInboxEntry(database(), SHOP, fromBytes.id!))?.payload).toBe(body);
    expect((await findInboxEntry(database(), SHOP, fromString.id!))?.payload).toBe(body);
    const row = (await queryRow<{ payload: string }>(`SELECT "payload" FROM "WebhookInbox" WHERE "shopDomain" = ? AND "id" = ?`, SHOP, fromBytes.id!))!;
    expect(row.payload).toBe(body);
    expect(Buffer.byteLength(row.payload)).toBe(Buffer.from(body).length);
  });

  it("answers a duplicate with the first row, whatever form it came in", async () => {
    const first = await recordWebhook(entry("e-dup", Buffer.from(body)));
    const again = await recordWebhook(entry("e-dup", body));
    expect(again).toEqual({ kind: "duplicate", id: first.id, status: "received", failure: null });
  });
});
