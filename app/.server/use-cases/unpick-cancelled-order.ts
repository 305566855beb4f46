import { unpickPlan, type UnpickLine } from "~/domain/warehouse/picking";
import { audit } from "../db/audit";
import { RetryableConflict, type Tx } from "../db/database";
import { cancelPack, cancelPickLine, closeTaskIfDone, linesOfOrder, lotExpiryIn, packOf, STAGING_BIN } from "../db/picking-sql";
import { addToPutaway } from "../db/receiving-sql";
import { binByCode } from "../db/warehouse-sql";
import { AppError } from "../errors";
import { suggestPutaways } from "./bin-arrivals";

// An order cancelled while it is being picked or is packed at a managed location (ADR 0033, "Cancelled while picking
// or packed"): inside the transaction that cancels it, its open pick lines close (status cancelled: no worker picks
// them, no bin supply is held for them), its open pack is cancelled (the ship job skips it), and the units it picked
// — waiting in the staging bin — join a putaway from the staging bin, with a storage bin suggested as for received
// units. Nothing is consumed and no bin moves yet: on hand stays the sum of the bins, and the units go back to a
// storage bin when the worker confirms the putaway (confirm-putaway.ts). The lines' status is the once-only key: a
// second cancel (a webhook delivered twice) finds nothing left to close and changes nothing.

export interface UnpickOutcome {
  linesClosed: number;
  packsCancelled: number;
  /** Units put on a putaway from the staging bin. */
  unitsToPutAway: number;
  putawayIds: string[];
}

export async function unpickCancelledOrder(ctx: { tx: Tx; shopId: string; actor: string; now: Date }, orderId: string): Promise<UnpickOutcome> {
  const { tx, shopId } = ctx;
  const none: UnpickOutcome = { linesClosed: 0, packsCancelled: 0, unitsToPutAway: 0, putawayIds: [] };
  const rows = await linesOfOrder(tx, shopId, orderId);
  if (rows.length === 0) return none;
  const locations = [...new Set(rows.map((l) => l.locationId))];
  const shippedAt = new Set<string>();
  for (const locationId of locations) if ((await packOf(tx, shopId, orderId, locationId))?.status === "shipped") shippedAt.add(locationId);
  const lines: UnpickLine[] = rows.map((l) => ({ id: l.id, taskId: l.taskId, locationId: l.locationId, variantId: l.variantId, lot: l.lot, picked: l.picked, status: l.status, shipped: shippedAt.has(l.locationId) }));
  const plan = unpickPlan(lines);
  if (plan.close.length === 0) return none;

  for (const l of plan.close) {
    // A pick confirmed (or a cancel applied) between our read and this write: run the whole transaction again.
    if (!(await cancelPickLine(tx, shopId, l.id, { status: l.status, picked: l.picked }))) throw new RetryableConflict(`Pick line ${l.id} changed while its order was being cancelled`);
  }
  for (const taskId of new Set(plan.close.map((l) => l.taskId))) await closeTaskIfDone(tx, shopId, taskId);

  let packsCancelled = 0;
  const touched: { locationId: string; putawayId: string }[] = [];
  for (const locationId of new Set(plan.close.map((l) => l.locationId))) {
    if (await cancelPack(tx, shopId, orderId, locationId)) packsCancelled += 1;
    const back = plan.putBack.filter((p) => p.locationId === locationId);
    if (back.length > 0) {
      // Picked units are in the staging bin (made by the first pick): the putaway takes them from there.
      const staging = (await binByCode(tx, shopId, locationId, STAGING_BIN))?.id;
      if (!staging) throw new AppError("unexpected_state", "PICK.NO_STAGING_BIN", `Order ${orderId} has picked units at location ${locationId}, but that location has no staging bin`);
      for (const p of back) {
        const expiresAt = await lotExpiryIn(tx, shopId, staging, p.variantId, p.lot);
        touched.push({ locationId, putawayId: await addToPutaway(tx, shopId, { locationId, variantId: p.variantId, lot: p.lot, expiresAt, quantity: p.quantity, sourceBinId: staging }) });
      }
    }
    const closed = plan.close.filter((l) => l.locationId === locationId);
    await audit(tx, shopId, ctx.actor, "pick.cancelled", { type: "order", id: orderId }, {
      locationId, linesClosed: closed.length, unitsToPutAway: back.reduce((n, p) => n + p.quantity, 0), putawayIds: touched.filter((t) => t.locationId === locationId).map((t) => t.putawayId),
    });
  }
  await suggestPutaways(tx, shopId, touched, ctx.now);
  return { linesClosed: plan.close.length, packsCancelled, unitsToPutAway: plan.putBack.reduce((n, p) => n + p.quantity, 0), putawayIds: [...new Set(touched.map((t) => t.putawayId))] };
}
