import { claimUnexplained } from "~/domain/inventory/unexplained-change";
import { mapShopifyFulfillment, type ChannelFulfillment, type ChannelFulfillmentLine } from "~/domain/fulfillment/map-shopify-fulfillment";
import { shopifyChannel } from "../channels/shopify/shopify-channel";
import type { IntakeChannel } from "../channels/intake-channel";
import { audit } from "../db/audit";
import { database } from "../db/database";
import { upsertFulfillmentTracking } from "../db/portal-sql";
import {
  allocationById, findOrderByLines, fulfillmentLine, insertFulfillmentLine, insertShippedAllocation, lineAllocations, locationIdByExternalId,
  markFulfillmentLineCancelled, markLevelRecheck, moveReserved, setAllocationStatus, setUnexplained, splitAllocation, takeOnHand, unexplainedOf,
  type ConsumedPiece, type FulfillmentLineRow,
} from "../db/fulfillment-sql";
import { findOrder, orderLines, type LineRow, type OrderRow } from "../db/pipeline-sql";
import { env } from "../env";
import { AppError } from "../errors";
import { parseWebhookBody } from "../shopify/parse-webhook-body";
import { fillBackorders, type AllocationContext, type Reallocation } from "./allocate-order";
import { fitOpenAllocations, resolveShortfall, settleShippingStatus } from "./fit-allocations";
import { confirmClaimedLevel, restockUnits } from "./sync-inventory-level";
import { enqueueReallocations } from "./dispatch-reallocations";

// fulfillments/create and fulfillments/update: units Shopify (or a 3PL) shipped consume our reservation
// for them — the matching `reserved` allocations become `fulfilled` (split when partly shipped) and the
// location's reserved and on hand both go down, so the inventory_levels/update that follows agrees with
// us. Each (fulfillment, line) is applied once (FulfillmentLine), so redeliveries and an update after the
// create never consume twice. A cancelled / failed fulfillment gives its units back, once.

export type FulfillmentOutcome = { kind: "consumed" | "reversed" | "unchanged"; orderId: string; status: string | undefined; lines: number } | { kind: "nothing"; orderId: null; status: undefined; lines: 0 };

export async function recordFulfillment(shopDomain: string, rawPayload: string): Promise<FulfillmentOutcome> {
  const mapped = mapShopifyFulfillment(parseWebhookBody(rawPayload, "Shopify fulfillment"));
  if (!mapped.ok) throw new AppError("invalid_data", "FULFILLMENT.INVALID_PAYLOAD", `Shopify fulfillment payload rejected: ${mapped.error}`);
  const f = mapped.fulfillment;
  if (f.lines.length === 0) return { kind: "nothing", orderId: null, status: undefined, lines: 0 };
  // Shopify lowered its own on hand for these units: a decrease of it we already applied may be this very shipment.
  return recordChannelFulfillment(await shopifyChannel(shopDomain), f, `webhook:fulfillments/${f.standing ? "create" : "update"}`, { shopifyShipped: true });
}

/** A channel's fulfillment (mapped by its adapter) applied to the order it ships, once per (fulfillment, line). */
export async function recordChannelFulfillment(channel: IntakeChannel, f: ChannelFulfillment, actor: string, opts: FulfillmentOptions = {}): Promise<FulfillmentOutcome> {
  const result = await database().transaction(async (tx) => {
    const applied = await applyFulfillment({ tx, shopId: channel.shopId, now: new Date(), actor }, channel.channelId, f, opts);
    // The carrier and tracking, for the customer portal: kept whatever the lines did (an update may only add tracking).
    if (applied && applied.outcome.orderId && f.tracking) await upsertFulfillmentTracking(tx, channel.shopId, applied.outcome.orderId, f.externalId, f.tracking, f.createdAt ?? null);
    return applied;
  });
  // Fulfillments can overtake their order's create: retry (the job backs off) until the order is here.
  if (!result) throw new AppError("conflict", "FULFILLMENT.ORDER_UNKNOWN", `Fulfillment ${f.externalId}: order ${f.orderExternalId ?? "?"} is not known (yet) in ${channel.shopDomain}`);
  await enqueueReallocations(channel.shopId, result.reallocated);
  for (const level of result.claimed) await confirmClaimedLevel(channel, level, { type: "fulfillment", id: f.externalId });
  return result.outcome;
}

/**
 * Several of a channel's fulfillments applied in one transaction, one after another, exactly as
 * recordChannelFulfillment applies each (an import recording the units a report says shipped, ADR 0032): one
 * commit instead of one each. All or nothing: an unknown order throws as recordChannelFulfillment does, and nothing
 * of the group is applied. Outcomes in the fulfillments' order.
 */
export async function recordChannelFulfillments(channel: IntakeChannel, fulfillments: readonly ChannelFulfillment[], actor: string, opts: FulfillmentOptions = {}): Promise<FulfillmentOutcome[]> {
  if (fulfillments.length === 0) return [];
  const results = await database().transaction(async (tx) => {
    const applied = [];
    for (const f of fulfillments) {
      const one = await applyFulfillment({ tx, shopId: channel.shopId, now: new Date(), actor }, channel.channelId, f, opts);
      if (!one) throw new AppError("conflict", "FULFILLMENT.ORDER_UNKNOWN", `Fulfillment ${f.externalId}: order ${f.orderExternalId ?? "?"} is not known (yet) in ${channel.shopDomain}`);
      if (one.outcome.orderId && f.tracking) await upsertFulfillmentTracking(tx, channel.shopId, one.outcome.orderId, f.externalId, f.tracking, f.createdAt ?? null);
      applied.push(one);
    }
    return applied;
  });
  await enqueueReallocations(channel.shopId, results.flatMap((r) => r.reallocated));
  for (const [i, r] of results.entries()) for (const level of r.claimed) await confirmClaimedLevel(channel, level, { type: "fulfillment", id: fulfillments[i].externalId });
  return results.map((r) => r.outcome);
}

export interface FulfillmentOptions {
  /**
   * Shopify itself shipped these units and lowered its on hand for them (its fulfillment webhooks): units of a
   * decrease we read from Shopify and applied before this webhook arrived are claimed first (ADR 0008), not taken
   * off on hand a second time. False for shipments Shopify did not make (ours, Amazon's).
   */
  shopifyShipped?: boolean;
}

/** The same inside the caller's transaction (a shipment we record is its fulfillment): null when the order is unknown. */
export async function applyFulfillment(ctx: AllocationContext, channelId: string, f: ChannelFulfillment, opts: FulfillmentOptions = {}): Promise<{ outcome: FulfillmentOutcome; reallocated: Reallocation[]; claimed: { variantId: string; locationId: string }[] } | null> {
  const { tx, shopId } = ctx;
  const order = (f.orderExternalId ? await findOrder(tx, shopId, channelId, f.orderExternalId) : undefined) ?? (await findOrderByLines(tx, shopId, channelId, f.lines.map((l) => l.lineExternalId)));
  if (!order) return null;
  const lines = new Map((await orderLines(tx, shopId, order.id)).map((l) => [l.externalId, l]));
  // The channel names the location the units left from; null (older payloads): where we reserved them.
  const location = f.locationExternalId === null ? { given: false, id: null } : { given: true, id: (await locationIdByExternalId(tx, shopId, f.locationExternalId)) ?? null };
  const freed = new Set<string>();
  const shrunk = new Map<string, { variantId: string; locationId: string }>();
  const claimed = new Map<string, { variantId: string; locationId: string }>();
  const reallocated: Reallocation[] = [];
  let changed = 0;

  for (const fl of f.lines) {
    const line = lines.get(fl.lineExternalId);
    const existing = await fulfillmentLine(tx, shopId, f.externalId, fl.lineExternalId);
    if (f.standing) {
      if (existing) continue; // consumed before, or cancelled before this create arrived
      const pieces = line ? await consumeLine(ctx, order, line, fl, f.externalId, location, freed, shrunk, opts.shopifyShipped === true ? claimed : null) : [];
      await insertFulfillmentLine(tx, shopId, order.id, f.externalId, fl.lineExternalId, fl.quantity, "consumed", pieces);
      changed += 1;
    } else if (!existing) {
      await insertFulfillmentLine(tx, shopId, order.id, f.externalId, fl.lineExternalId, fl.quantity, "cancelled", []); // a tombstone: a late create does nothing
      changed += 1;
    } else if (existing.status === "consumed") {
      await reverseLine(ctx, order, existing, f.externalId, freed, shrunk, opts.shopifyShipped === true ? claimed : null);
      await markFulfillmentLineCancelled(tx, shopId, existing.id);
      changed += 1;
    }
  }
  if (changed === 0) return { outcome: { kind: "unchanged", orderId: order.id, status: order.status, lines: 0 }, reallocated, claimed: [] };

  // A reversal puts units back to ship: this order gets them before anyone waiting.
  if (!f.standing) reallocated.push(...(await fitOpenAllocations(ctx, order.id, { trim: false })).reallocated);
  for (const { variantId, locationId } of shrunk.values()) reallocated.push(...(await resolveShortfall(ctx, variantId, locationId)));
  reallocated.push(...(await fillBackorders(ctx, [...freed])));
  const status = await settleShippingStatus(ctx, order.id);
  await audit(tx, shopId, ctx.actor, f.standing ? "order.fulfillment_recorded" : "order.fulfillment_cancelled", { type: "order", id: order.id }, { fulfillment: f.externalId, status: f.status, lines: changed });
  return { outcome: { kind: f.standing ? "consumed" : "reversed", orderId: order.id, status, lines: changed }, reallocated, claimed: [...claimed.values()] };
}

/**
 * Consume `fl.quantity` units of a line: reservations at the shipping location first, then elsewhere
 * (on hand goes down where the units left, the other location's reservation is freed), then backorder
 * claims (the channel had stock we did not know of), then units we held nothing for.
 */
async function consumeLine(
  ctx: AllocationContext, order: OrderRow, line: LineRow, fl: ChannelFulfillmentLine, fulfillmentId: string,
  location: { given: boolean; id: string | null }, freed: Set<string>, shrunk: Map<string, { variantId: string; locationId: string }>,
  /** Shopify shipped these units (its webhook): where a decrease already read from Shopify is claimed. Null otherwise. */
  claims: Map<string, { variantId: string; locationId: string }> | null,
): Promise<ConsumedPiece[]> {
  const { tx, shopId } = ctx;
  const ref = { type: "fulfillment", id: fulfillmentId };
  const key = `fulfillment:${fulfillmentId}:${fl.lineExternalId}`;
  const open = await lineAllocations(tx, shopId, line.id, ["reserved", "backordered"]);
  const rank = (a: (typeof open)[number]) => (a.status === "reserved" ? (location.given && a.locationId === location.id ? 0 : 1) : 2);
  const ordered = [...open].sort((a, b) => rank(a) - rank(b));
  const pieces: ConsumedPiece[] = [];
  let left = fl.quantity;
  for (const a of ordered) {
    if (left === 0) break;
    const n = Math.min(left, a.quantity);
    const shippedFrom = location.given ? location.id : a.locationId;
    const allocationId = await splitAllocation(tx, shopId, a, n, "fulfilled", shippedFrom ?? a.locationId);
    let onHand = 0;
    if (line.variantId) {
      if (a.status === "reserved" && a.locationId) {
        await moveReserved(tx, shopId, line.variantId, a.locationId, -n, "fulfilled", `${key}:${a.id}:reserved`, ref);
        if (shippedFrom !== a.locationId) freed.add(line.variantId);
      }
      if (shippedFrom) {
        onHand = await takeShipped(ctx, line.variantId, shippedFrom, n, `${key}:${a.id}:on_hand`, ref, claims);
        if (a.status !== "reserved" || shippedFrom !== a.locationId) shrunk.set(`${line.variantId}:${shippedFrom}`, { variantId: line.variantId, locationId: shippedFrom });
      }
    }
    pieces.push({ allocationId, from: a.status as "reserved" | "backordered", variantId: line.variantId, reservedAt: a.status === "reserved" ? a.locationId : null, shippedFrom, quantity: n, onHand });
    left -= n;
  }
  if (left > 0) {
    let onHand = 0;
    if (line.variantId && location.id) {
      onHand = await takeShipped(ctx, line.variantId, location.id, left, `${key}:unallocated:on_hand`, ref, claims);
      shrunk.set(`${line.variantId}:${location.id}`, { variantId: line.variantId, locationId: location.id });
    }
    const allocationId = await insertShippedAllocation(tx, shopId, line.id, location.id, left);
    pieces.push({ allocationId, from: "none", variantId: line.variantId, reservedAt: null, shippedFrom: location.id, quantity: left, onHand });
    await audit(tx, shopId, ctx.actor, "fulfillment.units_not_allocated", { type: "order", id: order.id }, { fulfillment: fulfillmentId, line: fl.lineExternalId, units: left });
  }
  return pieces;
}

/**
 * Shipped units leave on hand. When Shopify shipped them, the part that a decrease already read from Shopify took
 * (its level update processed first) is claimed instead of taken again; either way they count as the units that
 * left on hand (a cancelled fulfillment gives them back). A claimed level is read from Shopify right after commit
 * (confirmClaim), and a recheck is marked in case that read fails: if the decrease was a real loss after all, the
 * reading takes this shipment's units then.
 */
async function takeShipped(
  ctx: AllocationContext, variantId: string, locationId: string, units: number, key: string, ref: { type: string; id: string }, claims: Map<string, { variantId: string; locationId: string }> | null,
): Promise<number> {
  const { tx, shopId } = ctx;
  if (!claims) return takeOnHand(tx, shopId, variantId, locationId, units, "fulfilled", key, ref);
  const { claimed, apply: take, left } = claimUnexplained(await unexplainedOf(tx, shopId, variantId, locationId, "decrease"), units, ctx.now);
  if (claimed > 0) {
    await setUnexplained(tx, shopId, variantId, locationId, "decrease", left);
    await markLevelRecheck(tx, shopId, variantId, locationId, new Date(ctx.now.getTime() + env().INVENTORY_SETTLE_MS));
    await audit(tx, shopId, ctx.actor, "inventory.decrease_explained", { type: "variant", id: variantId }, { locationId, fulfillment: ref.id, units: claimed });
    claims.set(`${variantId}:${locationId}`, { variantId, locationId });
  }
  return claimed + (take > 0 ? await takeOnHand(tx, shopId, variantId, locationId, take, "fulfilled", key, ref) : 0);
}

/**
 * Undo what a fulfillment line consumed: on hand back where it left; a reservation consumed in place is restored as it
 * was. `claims` (Shopify cancelled it, and restocked its units itself): an increase read from Shopify before this
 * webhook may be these very units, so they are claimed first (restockUnits) and the level is read again after commit.
 */
async function reverseLine(
  ctx: AllocationContext, order: OrderRow, row: FulfillmentLineRow, fulfillmentId: string, freed: Set<string>,
  shrunk: Map<string, { variantId: string; locationId: string }>, claims: Map<string, { variantId: string; locationId: string }> | null,
): Promise<void> {
  const { tx, shopId } = ctx;
  const ref = { type: "fulfillment", id: fulfillmentId };
  const pieces = JSON.parse(row.pieces) as ConsumedPiece[];
  for (const [i, p] of pieces.entries()) {
    const key = `fulfillment-cancelled:${fulfillmentId}:${row.lineExternalId}:${i}`;
    if (p.variantId && p.shippedFrom && p.onHand > 0) {
      const claimed = await restockUnits(ctx, p.variantId, p.shippedFrom, p.onHand, "fulfillment_cancelled", `${key}:on_hand`, ref, claims);
      // The units claimed are on hand already, and an arrival may have given them to a backorder: the reservation
      // restored below must not take the level past its on hand.
      if (claimed > 0) shrunk.set(`${p.variantId}:${p.shippedFrom}`, { variantId: p.variantId, locationId: p.shippedFrom });
    }
    const allocation = p.allocationId ? await allocationById(tx, shopId, p.allocationId) : undefined;
    if (!allocation || allocation.status !== "fulfilled") continue;
    // A cancelled order holds nothing: its units come back on hand, free for the oldest backorders.
    if (order.status !== "cancelled" && p.from === "reserved" && p.variantId && p.reservedAt && p.reservedAt === p.shippedFrom && p.onHand === p.quantity) {
      // The row may hold fewer units than were shipped (a refund returned some since): exactly those are reserved again.
      await moveReserved(tx, shopId, p.variantId, p.reservedAt, Math.min(p.quantity, allocation.quantity), "fulfillment_cancelled", `${key}:reserved`, ref);
      await setAllocationStatus(tx, shopId, allocation.id, "reserved", p.reservedAt);
    } else {
      await setAllocationStatus(tx, shopId, allocation.id, "released", allocation.locationId); // re-routed by fitOpenAllocations
      if (p.variantId && p.shippedFrom && p.onHand > 0) freed.add(p.variantId);
    }
  }
  await audit(tx, shopId, ctx.actor, "fulfillment.reversed", { type: "order", id: order.id }, { fulfillment: fulfillmentId, line: row.lineExternalId, units: row.quantity });
}
