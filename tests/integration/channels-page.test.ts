import { beforeAll, describe, expect, it } from "vitest";
import { ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { action, loader } from "~/routes/app.channels";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { addLocation } from "../support/catalog";
import { queryRow } from "../support/db-query";
import { BROWSER_UA, bearerArgs } from "../support/requests";
import { addSession } from "../support/sessions";

// The Channels page edits a channel's settings: which locations feed it, pre-orders, its buffer — checked.

const SHOP = "channels-page.myshopify.com";
setQueue(new InProcessQueue());
const token = () => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, SHOP);
const submit = (fields: [string, string][]) =>
  action({ request: new Request("http://127.0.0.1:3999/app/channels", { method: "POST", headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() }), params: {}, context: {} });
const page = async () => (await loader(bearerArgs("/app/channels", token()))) as Awaited<ReturnType<typeof loader>>;

let shopId: string;
let online: string;
let reno: string;
beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await addSession({ id: `offline_${SHOP}`, shop: SHOP, state: "", accessToken: "shpat_x", expires: new Date(Date.now() + 86_400_000) });
  reno = (await addLocation(shopId, "91", "reno")).id;
  await addLocation(shopId, "92", "dallas");
  online = (await queryRow<{ id: string }>(`SELECT "id" FROM "Channel" WHERE "shopId" = ? AND "kind" = 'shopify'`, shopId))!.id;
});

describe("Channels page", () => {
  it("shows each channel's settings (defaults: every location, no pre-orders, no buffer)", async () => {
    const { channels, locations } = await page();
    expect(locations.map((l) => l.name)).toEqual(["dallas", "reno"]);
    expect(channels.find((c) => c.id === online)).toMatchObject({ kind: "shopify", locationIds: null, preorders: false, buffer: { kind: "units", units: 0 } });
  });

  it("saves locations, pre-orders and an adaptive buffer, and shows them back", async () => {
    const result = await submit([["channelId", online], ["locationIds", reno], ["preorders", "on"], ["bufferKind", "adaptive"], ["adaptiveMin", "1"], ["adaptiveMax", "8"]]);
    expect(result).toEqual({ ok: true, channelId: online, error: null });
    expect((await page()).channels.find((c) => c.id === online)).toMatchObject({ locationIds: [reno], preorders: true, buffer: { kind: "adaptive", min: 1, max: 8, serviceLevel: 0.95, windowHours: 24 } });
  });

  it("refuses a wrong buffer or a location of no shop's, saying why, and keeps what was there", async () => {
    expect(await submit([["channelId", online], ["allLocations", "on"], ["bufferKind", "percent"], ["bufferPercent", "250"]])).toMatchObject({ ok: false, error: expect.stringMatching(/^buffer.percent: /) });
    expect(await submit([["channelId", online], ["locationIds", "not-a-location"], ["bufferKind", "units"], ["bufferUnits", "2"]])).toMatchObject({ ok: false, error: "locationIds: not locations of this shop: not-a-location" });
    expect(await submit([["channelId", online], ["allLocations", "on"], ["bufferKind", "units"], ["bufferUnits", ""]])).toMatchObject({ ok: false, error: expect.stringMatching(/^buffer.units: /) });
    expect(await submit([["channelId", "nope"], ["allLocations", "on"], ["bufferKind", "units"], ["bufferUnits", "1"]])).toMatchObject({ ok: false, error: "No channel nope in this shop" });
    expect((await page()).channels.find((c) => c.id === online)).toMatchObject({ locationIds: [reno], buffer: { kind: "adaptive", min: 1, max: 8 } });
  });
});
