import { incomingChanges, type IncomingChange, type OrderUnits } from "~/domain/inventory/purchase-orders";
import type { Tx } from "../db/database";
import { appendLedger, type LedgerEntry } from "../db/pipeline-sql";
import { lockIncoming, openOrderLinesAt, setIncoming } from "../db/purchase-orders-sql";
import { AppError } from "../errors";

/** Why incoming moved: the natural key of the event (one order opened, cancelled; one receipt), for the ledger. */
export interface IncomingCause {
  key: string;
  reason: "purchase_order_opened" | "purchase_order_cancelled" | "purchase_order_received";
  purchaseOrder: string;
}

/**
 * Inside the transaction that changed purchase orders: recompute incoming at these levels from every open
 * order's lines (never a blind increment) and store it with its earliest expected date. Each level whose incoming
 * moved gets a ledger entry (bucket incoming, the delta, keyed by the cause and the level), which is what marks
 * the SKU for channels selling pre-orders (sync-channel-stock.ts). The caller enqueues the channel sync after
 * commit when a change is returned with a delta.
 */
export async function recomputeIncoming(tx: Tx, shopId: string, levels: { variantId: string; locationId: string }[], cause: IncomingCause): Promise<IncomingChange[]> {
  if (levels.length === 0) return [];
  const stored = await lockIncoming(tx, shopId, levels);
  const rows = await openOrderLinesAt(tx, shopId, stored.map((l) => l.variantId), stored.map((l) => l.locationId));
  const orders: OrderUnits[] = rows.map((r) => ({ status: r.status, locationId: r.locationId, expectedAt: r.expectedAt, lines: [{ variantId: r.variantId, ordered: Number(r.ordered), received: Number(r.received) }] }));
  const changes = incomingChanges(stored, orders);
  const entries: LedgerEntry[] = [];
  for (const change of changes) {
    await setIncoming(tx, shopId, change);
    if (change.delta !== 0) {
      entries.push({
        variantId: change.variantId, locationId: change.locationId, bucket: "incoming", delta: change.delta, reason: cause.reason,
        idempotencyKey: `incoming:${cause.key}:${change.variantId}:${change.locationId}`, refType: "purchase_order", refId: cause.purchaseOrder,
      });
    }
  }
  // Each cause happens once (a status moves once, a receipt reference applies once): a key seen before is a bug.
  if ((await appendLedger(tx, shopId, entries)) !== entries.length) {
    throw new AppError("unexpected_state", "INVENTORY.LEDGER_KEY_REUSED", `Incoming for ${cause.key} was already recorded`);
  }
  return changes;
}
