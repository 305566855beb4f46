import { createHash } from "node:crypto";
import { API_ORDER_CHANNELS, canonicalRequest, checkApiOrder, toChannelOrder, type ApiOrderInput } from "~/domain/orders/api-order";
import type { LatestDecision } from "../api/serialize";
import { intakeChannel, type IntakeChannel } from "../channels/intake-channel";
import { claimIdempotencyKey, claimIdempotencyKeys, releaseIdempotencyKeys, type IdempotencyClaim } from "../db/api-keys-sql";
import { database, type Tx } from "../db/database";
import { newId } from "../db/ids";
import { orderWithLines, type OrderWithLines } from "../db/orders";
import { findOrder } from "../db/pipeline-sql";
import { variantIdsBySku } from "../db/purchase-orders-sql";
import { channelById, defaultChannel, ensureChannel, type ShopRow } from "../db/shops";
import { heldExternalIds, heldRequestHashes } from "../db/wholesale-import-sql";
import { AppError } from "../errors";
import { latestDecisions } from "./get-order-detail";
import { ingestChannelOrder } from "./ingest-channel-order";
import { ingestNewOrders, type BatchTaken } from "./ingest-order-batch";

// Operations an idempotency key is held for: the client's Idempotency-Key, and the order's natural key.
const BY_HEADER = "orders.create";
const BY_EXTERNAL_ID = "orders.create.externalId";

export interface ApiOrderResult {
  /** False when the request repeats one already answered (same Idempotency-Key or externalId, same body). */
  created: boolean;
  order: OrderWithLines;
  /** The routing decision in force for it. */
  routing: LatestDecision | undefined;
}

/**
 * Take in an order posted by an ERP or integration (POST /api/v1/orders) on a manual or wholesale channel, through
 * the one ingestion path: it reserves the moment it lands. Anything wrong is refused at once (400, every problem,
 * nothing stored). The same Idempotency-Key — or, without one, the same externalId — with the same body answers
 * the same order and reserves nothing again; with another body, 409. The order's unique (channel, externalId)
 * stays the durable guard: a retry after a crash between holding the key and taking the order in makes it then.
 */
export async function createApiOrder(shop: ShopRow, input: ApiOrderInput, opts: { idempotencyKey?: string; actor: string; now?: Date }): Promise<ApiOrderResult> {
  const now = opts.now ?? new Date();
  const channelId = await checkOrder(shop.id, input);
  const intake = await intakeChannel(database(), shop.id, channelId); // installed shop, active channel
  const requestHash = apiOrderRequestHash(input, channelId);

  const held = await database().transaction((tx) => holdKeys(tx, shop.id, input, { channelId, requestHash, idempotencyKey: opts.idempotencyKey }, now));
  let orderId = held.existingOrderId;
  let created = false;
  if (!orderId) {
    try {
      const outcome = await ingestChannelOrder(intake, toChannelOrder(input, { externalId: held.externalId }, { currency: shop.currency, placedAt: held.placedAt }), { actor: opts.actor, now });
      orderId = outcome.orderId;
      created = outcome.kind === "created";
    } catch (error) {
      // Nothing was made: the keys this request held go back, so a corrected retry under them is not a conflict.
      await releaseIdempotencyKeys(database(), shop.id, held.freshClaims);
      throw error;
    }
  }
  const order = (await orderWithLines(database(), shop.id, orderId))!;
  return { created, order, routing: (await latestDecisions(shop.id, [orderId])).get(orderId) };
}

/**
 * Many orders an import posts onto one channel (csv-po, ADR 0032), as createApiOrder would take each one that is
 * new: its externalId key held (same fingerprint), the order stored, routed and reserved — here many at once, in
 * one transaction (ingestNewOrders). Returns, per input, what it became, or null for one left to createApiOrder:
 * without an externalId, one createApiOrder would refuse, one whose key is held already (a repeat, or other
 * content: createApiOrder answers it), one the channel holds already, and anything the batch intake leaves.
 */
export async function createApiOrdersBatch(shop: ShopRow, channel: IntakeChannel, inputs: readonly ApiOrderInput[], opts: { actor: string; now?: Date }): Promise<(BatchTaken | null)[]> {
  if (!(API_ORDER_CHANNELS as readonly string[]).includes(channel.kind)) return inputs.map(() => null);
  const now = opts.now ?? new Date();
  const channelId = channel.channelId;
  const known = new Set((await variantIdsBySku(database(), shop.id, inputs.flatMap((i) => i.lines.map((l) => l.sku)))).keys());
  const hashOf = new Map<string, string>(); // externalId → the fingerprint of its first request in the batch
  const eligible: { index: number; externalId: string }[] = [];
  const orders = [];
  for (const [index, input] of inputs.entries()) {
    const externalId = input.externalId;
    if (!externalId || (input.channelId && input.channelId !== channelId) || (input.channel && input.channel !== channel.kind) || checkApiOrder(input, known).length > 0) continue;
    if (!hashOf.has(externalId)) hashOf.set(externalId, apiOrderRequestHash(input, channelId));
    eligible.push({ index, externalId });
    orders.push(toChannelOrder(input, { externalId }, { currency: shop.currency, placedAt: now }));
  }
  const keyOf = (externalId: string) => `${channelId}:${externalId}`;
  const taken = await ingestNewOrders(channel, orders, {
    actor: opts.actor,
    now,
    claim: async (tx, candidates) => {
      const fresh = await claimIdempotencyKeys(tx, shop.id, BY_EXTERNAL_ID, candidates.map((o) => ({ key: keyOf(o.externalId), requestHash: hashOf.get(o.externalId)!, channelId, externalId: o.externalId })), now);
      return new Set(candidates.filter((o) => fresh.has(keyOf(o.externalId))).map((o) => o.externalId));
    },
  });
  const out: (BatchTaken | null)[] = inputs.map(() => null);
  eligible.forEach((e, i) => (out[e.index] = taken[i]));
  return out;
}

/** The fingerprint of an order request on a channel: what its idempotency keys are held for. */
export function apiOrderRequestHash(input: ApiOrderInput, channelId: string): string {
  return createHash("sha256").update(canonicalRequest(input, channelId)).digest("hex");
}

export type PreviousApiOrder = "new" | "same" | "changed" | "not-from-api";

/**
 * What a channel already holds under these orders' external ids, as createApiOrder would find it: an order (or a
 * key held for one) made by a request with the same content ("same": taking it in again changes nothing), with
 * other content ("changed": a 409), an order made some other way ("not-from-api": a 409), or nothing ("new").
 * One read for many orders, so an import can tell every PO's fate before it stores anything.
 */
export async function previousApiOrders(shopId: string, channelId: string, externalIds: readonly string[]): Promise<(input: ApiOrderInput) => PreviousApiOrder> {
  const keyOf = (externalId: string) => `${channelId}:${externalId}`;
  const [held, existing] = await Promise.all([heldRequestHashes(database(), shopId, BY_EXTERNAL_ID, externalIds.map(keyOf)), heldExternalIds(database(), shopId, channelId, externalIds)]);
  return (input) => {
    if (!input.externalId) return "new";
    const hash = held.get(keyOf(input.externalId));
    if (hash) return hash === apiOrderRequestHash(input, channelId) ? "same" : "changed";
    return existing.has(input.externalId) ? "not-from-api" : "new";
  };
}

/** The channel the order goes to, after every problem of the order is listed (400, nothing stored). */
async function checkOrder(shopId: string, input: ApiOrderInput): Promise<string> {
  const problems: string[] = [];
  let channelId: string | null = null;
  const kind = input.channel ?? "manual";
  if (input.channelId) {
    const row = await channelById(database(), shopId, input.channelId);
    if (!row) problems.push(`channelId: no channel ${input.channelId} in this shop`);
    else if (!(API_ORDER_CHANNELS as readonly string[]).includes(row.kind)) problems.push(`channelId: ${row.name} is a ${row.kind} channel; the API takes manual and wholesale orders`);
    else if (input.channel && input.channel !== row.kind) problems.push(`channel: ${row.name} is a ${row.kind} channel, not ${input.channel}`);
    else channelId = row.id;
  } else {
    channelId = (await defaultChannel(database(), shopId, kind))?.id ?? null;
  }
  const known = await variantIdsBySku(database(), shopId, input.lines.map((l) => l.sku));
  problems.push(...checkApiOrder(input, new Set(known.keys())));
  if (problems.length) throw new AppError("invalid_data", "ORDER.INVALID", `Order not taken in: ${problems.join("; ")}`, { problems });
  // A shop's first wholesale order opens its wholesale channel (manual is there from install).
  return channelId ?? (await database().transaction((tx) => ensureChannel(tx, shopId, kind, kind === "wholesale" ? "Wholesale" : "Manual orders"))).id;
}

interface HeldKeys {
  externalId: string;
  placedAt: Date;
  /** The order an earlier request under the same key(s) made; undefined when it is still to be taken in. */
  existingOrderId?: string;
  /** Keys this request wrote (given back if taking the order in fails). */
  freshClaims: string[];
}

/** Hold the request's keys in one transaction; a key held for another body, or an externalId taken by another order, is a 409. */
async function holdKeys(tx: Tx, shopId: string, input: ApiOrderInput, req: { channelId: string; requestHash: string; idempotencyKey?: string }, now: Date): Promise<HeldKeys> {
  const claims: IdempotencyClaim[] = [];
  let externalId = input.externalId ?? `api-${newId()}`;
  if (req.idempotencyKey) {
    const claim = await claimIdempotencyKey(tx, shopId, BY_HEADER, req.idempotencyKey, { requestHash: req.requestHash, channelId: req.channelId, externalId }, now);
    if (claim.requestHash !== req.requestHash) throw new AppError("conflict", "IDEMPOTENCY.KEY_REUSED", `Idempotency-Key ${req.idempotencyKey} was used for another request; nothing was changed. Use a new key for a new order.`);
    externalId = claim.externalId;
    claims.push(claim);
  }
  if (input.externalId) {
    const claim = await claimIdempotencyKey(tx, shopId, BY_EXTERNAL_ID, `${req.channelId}:${input.externalId}`, { requestHash: req.requestHash, channelId: req.channelId, externalId }, now);
    const taken = `An order ${input.externalId} already exists on this channel with other content; nothing was changed. Use a new externalId for a new order.`;
    if (claim.requestHash !== req.requestHash) throw new AppError("conflict", "ORDER.EXTERNAL_ID_TAKEN", taken);
    // The order is there but no API request made it (a webhook, the admin, a feed): not ours to answer as a replay.
    if (claim.fresh && (await findOrder(tx, shopId, req.channelId, input.externalId))) throw new AppError("conflict", "ORDER.EXTERNAL_ID_TAKEN", taken);
    claims.push(claim);
  }
  const existing = claims.some((c) => !c.fresh) ? await findOrder(tx, shopId, req.channelId, externalId) : undefined;
  const firstHeld = Math.min(now.getTime(), ...claims.map((c) => Date.parse(c.createdAt)));
  return { externalId, placedAt: new Date(firstHeld), existingOrderId: existing?.id, freshClaims: claims.filter((c) => c.fresh).map((c) => c.id) };
}
