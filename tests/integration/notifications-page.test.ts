import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { action, loader } from "~/routes/app.notifications";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { queryRow } from "../support/db-query";
import { BROWSER_UA, bearerArgs } from "../support/requests";
import { addSession } from "../support/sessions";

// The Notifications page (ADR 0024): it says when sending is off, saves the settings, refuses a template naming a
// variable its notice does not have (with the reason) and saves a good one, and records and removes opt-outs.

const SHOP = "notifications-page.myshopify.com";
setQueue(new InProcessQueue());
const token = () => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
const open = async () => (await loader(bearerArgs("/app/notifications", token()))) as Awaited<ReturnType<typeof loader>>;
const post = async (fields: Record<string, string>) => {
  const request = new Request("http://127.0.0.1:3999/app/notifications", {
    method: "POST", headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString(),
  });
  return action({ request, params: {}, context: {} });
};

let shopId: string;
beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
});

describe("Notifications page", () => {
  it("shows sending off without SMTP_URL, the defaults, and saves the settings", async () => {
    const page = await open();
    expect(page.sendingOn).toBe(false);
    expect(page.settings).toEqual({ confirmationEnabled: false, language: "en" });
    expect(page.templates).toHaveLength(20); // 10 kinds (4 order notices, 6 return updates: ADR 0036) × en, es
    expect(page.templates.find((t: { kind: string; language: string }) => t.kind === "return_requested" && t.language === "es")).toMatchObject({ label: "Return requested, with RMA and label", custom: false, body: expect.stringContaining("{{labelUrl}}") });
    expect(await post({ intent: "settings", confirmationEnabled: "on", language: "es" })).toEqual({ ok: true, message: "Settings saved." });
    expect((await open()).settings).toEqual({ confirmationEnabled: true, language: "es" });
    expect(await post({ intent: "settings", confirmationEnabled: "on", language: "fr" })).toEqual({ ok: false, error: "language must be one of en, es" });
  });

  it("refuses a template with an unknown variable, saves a good one and resets it", async () => {
    expect(await post({ intent: "saveTemplate", kind: "shipped", language: "en", subject: "Shipped {{orderName}}", body: "{{secret}}" })).toEqual({
      ok: false, error: "body: {{secret}} is not a variable of this notice (allowed: shopName, orderName, customerName, carrier, trackingNumber, trackingUrl)",
    });
    expect(await post({ intent: "saveTemplate", kind: "shipped", language: "en", subject: "Shipped {{orderName}}", body: "Track {{trackingUrl}}" })).toMatchObject({ ok: true });
    const edited = (await open()).templates.find((t) => t.kind === "shipped" && t.language === "en")!;
    expect(edited).toMatchObject({ custom: true, subject: "Shipped {{orderName}}", body: "Track {{trackingUrl}}" });
    expect(await post({ intent: "resetTemplate", kind: "shipped", language: "en" })).toMatchObject({ ok: true });
    expect((await open()).templates.find((t) => t.kind === "shipped" && t.language === "en")!.custom).toBe(false);
  });

  it("records an opt-out by address (lower-cased) and removes it", async () => {
    expect(await post({ intent: "optOut", email: "not-an-address" })).toEqual({ ok: false, error: "enter one e-mail address, like ana@example.com" });
    expect(await post({ intent: "optOut", email: "Ana@Example.com" })).toMatchObject({ ok: true });
    expect((await open()).optOuts.map((o) => o.email)).toEqual(["ana@example.com"]);
    expect(await queryRow(`SELECT "email" FROM "NotificationOptOut" WHERE "shopId" = ?`, shopId)).toEqual({ email: "ana@example.com" });
    expect(await post({ intent: "optIn", email: "ana@example.com" })).toMatchObject({ ok: true });
    expect((await open()).optOuts).toEqual([]);
  });
});
