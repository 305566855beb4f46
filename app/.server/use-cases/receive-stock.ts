import { shopifyReasonFor } from "~/domain/inventory/on-hand-push";
import { database } from "../db/database";
import { insertStockPushes } from "../db/stock-push-sql";
import { enqueueChannelStockSync, enqueuePushOnHand } from "../jobs/queue";
import { addOnHand } from "../db/pipeline-sql";
import { fillBackorders, type AllocationContext, type Reallocation } from "./allocate-order";
import { enqueueReallocations } from "./dispatch-reallocations";

export interface StockArrival {
  variantId: string;
  locationId: string;
  quantity: number;
  /** received | transfer_in | returned | external_increase | … */
  reason: string;
  /** The natural key of the event (PO receipt line, transfer id, return id, webhook id): applied once. */
  idempotencyKey: string;
  ref?: { type: string; id: string };
}

/**
 * Stock arrived at a location (receiving, transfer, return, an external increase): add it to on hand
 * and hand it to the oldest backorders first, in the same transaction, and (unless it came from Shopify)
 * queue it for Shopify's on hand. Applying the same arrival twice changes nothing.
 */
export async function receiveStock(shopId: string, arrival: StockArrival, opts: { now?: Date; actor?: string } = {}): Promise<{ applied: boolean; filled: Reallocation[] }> {
  if (!Number.isInteger(arrival.quantity) || arrival.quantity <= 0) throw new RangeError(`A stock arrival needs a positive whole quantity, got ${arrival.quantity}`);
  const result = await database().transaction(async (tx) => applyStockArrival({ tx, shopId, now: opts.now ?? new Date(), actor: opts.actor ?? "stock" }, arrival));
  await afterStockArrivals(shopId, [arrival], [result]);
  return result;
}

/** The arrival applied inside the caller's transaction (e.g. a return received with other changes); call afterStockArrivals after commit. */
export async function applyStockArrival(ctx: AllocationContext, arrival: StockArrival): Promise<{ applied: boolean; filled: Reallocation[] }> {
  const { tx, shopId } = ctx;
  const shopifyReason = shopifyReasonFor(arrival.reason);
  if (!(await addOnHand(tx, shopId, arrival.variantId, arrival.locationId, arrival.quantity, arrival.reason, arrival.idempotencyKey, arrival.ref))) return { applied: false, filled: [] as Reallocation[] };
  // An arrival the app recorded is written to Shopify too (ADR 0008); one that came from Shopify is not.
  if (shopifyReason) {
    const referenceUri = arrival.ref ? `oms://${encodeURIComponent(arrival.ref.type)}/${encodeURIComponent(arrival.ref.id)}` : null;
    await insertStockPushes(tx, shopId, [{ variantId: arrival.variantId, locationId: arrival.locationId, idempotencyKey: arrival.idempotencyKey, delta: arrival.quantity, reason: shopifyReason, referenceUri }]);
  }
  return { applied: true, filled: await fillBackorders(ctx, [arrival.variantId]) };
}

/** After commit: the filled backorders' channels follow, and applied arrivals go to Shopify's on hand and the channels' stock. */
export async function afterStockArrivals(shopId: string, arrivals: StockArrival[], results: { applied: boolean; filled: Reallocation[] }[]): Promise<void> {
  await enqueueReallocations(shopId, results.flatMap((r) => r.filled));
  for (const [i, arrival] of arrivals.entries()) {
    if (results[i]?.applied && shopifyReasonFor(arrival.reason)) await enqueuePushOnHand({ shopId, variantId: arrival.variantId, locationId: arrival.locationId }, arrival.idempotencyKey);
  }
  if (results.some((r) => r.applied)) await enqueueChannelStockSync({ shopId });
}
