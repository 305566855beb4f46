import {
  isFlowAction, parseBufferProperties, parseCycleCountProperties, parseFlowActionRequest, parseHoldProperties, parseRerouteProperties, type FlowActionHandle,
} from "~/domain/integrations/flow-actions";
import { claimFlowActionRun, findFlowActionRun, finishFlowActionRun, locationsMatching, orderIdForShopifyOrder, releaseFlowActionRun } from "../db/automation-sql";
import { database } from "../db/database";
import { findShopByDomain, listChannels } from "../db/shops";
import { env } from "../env";
import { AppError } from "../errors";
import { hmacMatches } from "../shopify/verify-webhook";
import { openCycleCounts } from "./cycle-counts";
import { setOrderFulfillmentHold } from "./hold-order-fulfillment";
import { setChannelBuffer } from "./read-channel-stock";
import { rerouteOrder } from "./reroute-order";

// A Shopify Flow action request (ADR 0031): the raw body's HMAC (base64 HMAC-SHA256 with the app's secret, in
// X-Shopify-Hmac-Sha256) checked first — 401 when it does not match; the shop is the verified body's; each Flow
// action run acts once: the run id is claimed before acting and its outcome stored, so a retry (Flow retries on
// anything but 200) answers what the first did. A refusal (no such order, not re-routable) is final: 422, stored.

/** How long a claimed run may be at work before a retry takes it over (its request died). */
const RUN_LEASE_MS = 2 * 60_000;

export interface FlowActionAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function runFlowAction(handle: string, rawBody: string, hmacHeader: string | null): Promise<FlowActionAnswer> {
  if (!hmacHeader || !hmacMatches(rawBody, hmacHeader, env().SHOPIFY_API_SECRET)) return { status: 401, body: { error: "HMAC does not match" } };
  if (!isFlowAction(handle)) return { status: 404, body: { error: `No Flow action ${handle}` } };
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { status: 400, body: { error: "body must be JSON" } };
  }
  const request = parseFlowActionRequest(json);
  if (!request.ok) return { status: 400, body: { error: request.problem } };
  const db = database();
  const shop = await findShopByDomain(db, request.value.shopDomain);
  if (!shop || shop.status !== "installed") return { status: 404, body: { error: `Shop ${request.value.shopDomain} is not installed` } };
  const { actionRunId, properties } = request.value;

  const now = new Date();
  const claimed = await db.transaction((tx) => claimFlowActionRun(tx, shop.id, actionRunId, handle, now, new Date(now.getTime() - RUN_LEASE_MS)));
  if (!claimed) {
    const run = await findFlowActionRun(db, shop.id, actionRunId);
    if (run && run.outcome !== "running") return { status: run.outcome === "done" ? 200 : 422, body: { ...(JSON.parse(run.result) as object), replayed: true } };
    return { status: 503, body: { error: "This action run is being carried out; try again shortly" } }; // Flow retries
  }
  try {
    const outcome = await act(shop.id, handle, properties, actionRunId);
    await db.transaction((tx) => finishFlowActionRun(tx, shop.id, actionRunId, outcome.ok ? "done" : "refused", JSON.stringify(outcome.body)));
    return { status: outcome.ok ? 200 : 422, body: outcome.body };
  } catch (error) {
    await db.transaction((tx) => releaseFlowActionRun(tx, shop.id, actionRunId)); // a fault, not a refusal: the retry acts
    throw error;
  }
}

type Outcome = { ok: boolean; body: Record<string, unknown> };

const refuse = (error: string): Outcome => ({ ok: false, body: { error } });

async function act(shopId: string, handle: FlowActionHandle, properties: Record<string, unknown>, actionRunId: string): Promise<Outcome> {
  if (handle === "hold-fulfillment" || handle === "release-fulfillment") return holdAction(shopId, handle, properties);
  if (handle === "create-cycle-count") return cycleCountAction(shopId, properties, actionRunId);
  if (handle === "reroute-order") {
    const p = parseRerouteProperties(properties);
    if (!p.ok) return refuse(p.problem);
    const orderId = await orderIdForShopifyOrder(database(), shopId, p.value.shopifyOrderId);
    if (!orderId) return refuse(`No order with Shopify id ${p.value.shopifyOrderId} in this shop`);
    let exclude: string[] = [];
    if (p.value.excludeLocation) {
      const matches = await locationsMatching(database(), shopId, p.value.excludeLocation);
      if (matches.length !== 1) return refuse(`"${p.value.excludeLocation}" names ${matches.length === 0 ? "no location" : `${matches.length} locations`} of this shop`);
      exclude = [matches[0].id];
    }
    const outcome = await rerouteOrder(shopId, orderId, { excludeLocationIds: exclude, actor: "flow:reroute-order", reason: p.value.reason ?? undefined });
    if (outcome.kind === "not_reroutable") return refuse(`Order ${orderId} is ${outcome.status}: only an order not yet being picked can be re-routed`);
    return { ok: true, body: { action: handle, ...outcome, excludedLocationIds: exclude } };
  }
  const p = parseBufferProperties(properties);
  if (!p.ok) return refuse(p.problem);
  const wanted = p.value.channel.toLowerCase();
  const channels = (await listChannels(database(), shopId)).filter((c) => c.id === p.value.channel || c.name.toLowerCase() === wanted || c.kind === wanted);
  if (channels.length !== 1) return refuse(`"${p.value.channel}" names ${channels.length === 0 ? "no channel" : `${channels.length} channels`} of this shop (use its name or id)`);
  try {
    const config = await setChannelBuffer(shopId, channels[0].id, { sku: p.value.sku ?? undefined, buffer: { kind: "units", units: p.value.units } });
    return { ok: true, body: { action: handle, channelId: channels[0].id, sku: p.value.sku, buffer: p.value.sku ? config.skuBuffers[p.value.sku] : config.buffer } };
  } catch (error) {
    if (error instanceof AppError && error.type !== "unexpected_state") return refuse(error.message);
    throw error;
  }
}

/** hold-fulfillment / release-fulfillment (ADR 0037): the order's hold, mirrored to Shopify's fulfillment orders. */
async function holdAction(shopId: string, handle: "hold-fulfillment" | "release-fulfillment", properties: Record<string, unknown>): Promise<Outcome> {
  const p = parseHoldProperties(properties);
  if (!p.ok) return refuse(p.problem);
  const orderId = await orderIdForShopifyOrder(database(), shopId, p.value.shopifyOrderId);
  if (!orderId) return refuse(`No order with Shopify id ${p.value.shopifyOrderId} in this shop`);
  const outcome = await setOrderFulfillmentHold(shopId, orderId, handle === "hold-fulfillment" ? { hold: true, reason: p.value.reason } : { hold: false }, { actor: `flow:${handle}` });
  if (outcome.kind === "refused") return refuse(outcome.problem);
  return { ok: true, body: { action: handle, ...outcome } };
}

/** create-cycle-count (ADR 0037): count tasks for a bin, or every bin holding a SKU, once per action run. */
async function cycleCountAction(shopId: string, properties: Record<string, unknown>, actionRunId: string): Promise<Outcome> {
  const p = parseCycleCountProperties(properties);
  if (!p.ok) return refuse(p.problem);
  const matches = await locationsMatching(database(), shopId, p.value.location);
  if (matches.length !== 1) return refuse(`"${p.value.location}" names ${matches.length === 0 ? "no location" : `${matches.length} locations`} of this shop`);
  try {
    const opened = await database().transaction((tx) =>
      openCycleCounts(tx, shopId, { locationId: matches[0].id, binId: p.value.bin ?? undefined, sku: p.value.sku ?? undefined, reason: "flow", sourceKey: `flow:${actionRunId}`, worker: null }));
    return { ok: true, body: { action: "create-cycle-count", locationId: matches[0].id, countIds: opened.ids, created: opened.created } };
  } catch (error) {
    if (error instanceof AppError && error.type !== "unexpected_state") return refuse(error.message);
    throw error;
  }
}
