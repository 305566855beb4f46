import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { resetEnvForTests } from "~/.server/env";
import { ensureChannel, ensureShop } from "~/.server/db/shops";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import { action, loader } from "~/routes/app.channels";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { SANDBOX_LWA_DEFAULTS, startAmazonSandbox, type AmazonSandbox } from "../../sandbox/amazon/server";
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

describe("Channels page: connecting Amazon", () => {
  let amazon: AmazonSandbox;
  let channelId: string;
  beforeAll(async () => {
    amazon = await startAmazonSandbox({ sellerId: "A2CHANNELSPAGE" });
    Object.assign(process.env, { AMAZON_LWA_CLIENT_ID: SANDBOX_LWA_DEFAULTS.clientId, AMAZON_LWA_CLIENT_SECRET: SANDBOX_LWA_DEFAULTS.clientSecret, AMAZON_SP_API_ENDPOINT: amazon.url, AMAZON_LWA_ENDPOINT: `${amazon.url}/auth/o2/token` });
    resetEnvForTests();
    channelId = (await database().transaction((tx) => ensureChannel(tx, shopId, "amazon", "Amazon US"))).id;
  });
  afterAll(() => amazon.close());
  const amazonChannel = async () => (await page()).channels.find((c) => c.id === channelId)!;

  it("shows an Amazon channel as not connected, and refuses an authorisation Amazon rejects, saying why", async () => {
    expect((await amazonChannel()).amazon).toEqual({ connection: null });
    const refused = await submit([["intent", "connectAmazon"], ["channelId", channelId], ["sellerId", "A2CHANNELSPAGE"], ["marketplaceId", "ATVPDKIKX0DER"], ["refreshToken", "Atzr|not-this-one"]]);
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/Login with Amazon refused/) });
    const malformed = await submit([["intent", "connectAmazon"], ["channelId", channelId], ["sellerId", ""], ["marketplaceId", "ATVPDKIKX0DER"], ["refreshToken", ""]]);
    expect(malformed).toMatchObject({ ok: false, error: expect.stringMatching(/sellerId: .*refreshToken: /) });
    expect((await amazonChannel()).amazon).toEqual({ connection: null });
  });

  it("connects with a good authorisation, shows the seller (never the token), and disconnects", async () => {
    const ok = await submit([["intent", "connectAmazon"], ["channelId", channelId], ["sellerId", "A2CHANNELSPAGE"], ["marketplaceId", "ATVPDKIKX0DER"], ["refreshToken", String(SANDBOX_LWA_DEFAULTS.refreshToken)]]);
    expect(ok).toEqual({ ok: true, channelId, error: null });
    const shown = (await amazonChannel()).amazon;
    expect(shown?.connection).toMatchObject({ sellerId: "A2CHANNELSPAGE", marketplaceId: "ATVPDKIKX0DER" });
    expect(JSON.stringify(await page())).not.toContain(String(SANDBOX_LWA_DEFAULTS.refreshToken));
    expect(await submit([["intent", "disconnectAmazon"], ["channelId", channelId]])).toEqual({ ok: true, channelId, error: null });
    expect((await amazonChannel()).amazon).toEqual({ connection: null });
  });
});
