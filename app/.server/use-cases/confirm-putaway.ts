import { database } from "../db/database";
import { closePutaway, findPutaway, listPutaways, readPutaway, type PutawayRow } from "../db/receiving-sql";
import { insertLabourEvents } from "../db/labour-sql";
import { binByCode, ensureReceivingBin, findWarehouse, moveBinStock } from "../db/warehouse-sql";
import { AppError } from "../errors";
import { suggestPutaways } from "./bin-arrivals";
import { requireLocation } from "./manage-warehouse";

// Putaway (issue 13, item 3; ADR 0029): the worker takes received units from the receiving bin (or a cancelled
// order's picked units from the staging bin, ADR 0033) to the bin suggested for them and confirms by scanning that bin.

export interface PutawayView {
  id: string;
  sku: string;
  lot: string;
  expiresAt: string | null;
  quantity: number;
  status: "open" | "done";
  /** The bin to scan; null when no bin has room (`reason` says why). */
  suggestedBin: string | null;
  reason: string | null;
  bin: string | null;
  confirmedAt: string | null;
  /** The bin to take the units from: RECEIVING for received units, STAGING for the picked units of a cancelled order. */
  from: string;
}

const view = (p: PutawayRow): PutawayView => ({
  id: p.id, sku: p.sku, lot: p.lot, expiresAt: p.expiresAt, quantity: p.quantity, status: p.status,
  suggestedBin: p.suggestedCode, reason: p.status === "open" && !p.suggestedCode ? `no bin has room for ${p.quantity} units: add bins or free one, then confirm again` : null,
  bin: p.binCode, confirmedAt: p.confirmedAt, from: p.sourceCode ?? "RECEIVING",
});

/** The location's open putaways (oldest first) and the last ones done. */
export async function readPutaways(shopId: string, location: string): Promise<{ open: PutawayView[]; done: PutawayView[] }> {
  const q = database();
  const locationId = await requireLocation(q, shopId, location);
  return { open: (await listPutaways(q, shopId, locationId, "open")).map(view), done: (await listPutaways(q, shopId, locationId, "done", 50)).map(view) };
}

export interface ConfirmOutcome {
  /** False when this putaway was confirmed already (into the same bin): nothing moved again. */
  applied: boolean;
  putaway: PutawayView;
}

/**
 * The worker scanned `bin` for this putaway: when it is the suggested bin, the units move receiving bin → bin in
 * one transaction (two bin ledger rows keyed by the putaway, so a second confirmation applies nothing) and the
 * location's on hand does not change. The wrong bin, a quantity other than the one shown, or a bin that has no
 * room any more: refused (409) with what to do, nothing moved; for the last, a new bin is suggested.
 */
export async function confirmPutaway(shopId: string, location: string, id: string, scan: { bin: string; quantity?: number; worker?: string | null }): Promise<ConfirmOutcome> {
  const scanned = scan.bin.trim().toUpperCase();
  const result = await database().transaction(async (tx) => {
    const locationId = await requireLocation(tx, shopId, location);
    const warehouse = await findWarehouse(tx, shopId, locationId);
    if (!warehouse) throw new AppError("not_found", "WAREHOUSE.NOT_MANAGED", `Location ${location} is not managed by the warehouse module`);
    const p = await findPutaway(tx, shopId, locationId, id);
    if (!p) throw new AppError("not_found", "PUTAWAY.NOT_FOUND", `No putaway ${JSON.stringify(id)} at this location`);
    if (p.status === "done") {
      if (p.binCode === scanned) return { kind: "done" as const, applied: false };
      throw new AppError("conflict", "PUTAWAY.ALREADY_DONE", `This putaway was confirmed into bin ${p.binCode} already; nothing was moved`);
    }
    if (!p.suggestedCode) return { kind: "refused" as const, code: "PUTAWAY.NO_BIN", message: `No bin has room for ${p.quantity} units of ${p.sku}; nothing was moved` };
    if (scanned !== p.suggestedCode) return { kind: "refused" as const, code: "PUTAWAY.WRONG_BIN", message: `Wrong bin: you scanned ${scanned}, but these ${p.quantity} units of ${p.sku} go to ${p.suggestedCode}. Nothing was moved.` };
    if (scan.quantity !== undefined && scan.quantity !== p.quantity) return { kind: "refused" as const, code: "PUTAWAY.QUANTITY_CHANGED", message: `This putaway is ${p.quantity} units now (you confirmed ${scan.quantity}): more were received meanwhile. Nothing was moved; confirm again for ${p.quantity}.` };
    const target = await binByCode(tx, shopId, locationId, p.suggestedCode);
    if (!target) throw new AppError("unexpected_state", "PUTAWAY.BIN_GONE", `Bin ${p.suggestedCode} is no longer in the layout`);
    if (target.capacity !== null && target.used + p.quantity > target.capacity) {
      const next = (await suggestPutaways(tx, shopId, [{ locationId, putawayId: p.id }])).get(p.id);
      const then = next?.ok ? `Take them to ${next.code} instead.` : "No other bin has room.";
      return { kind: "refused" as const, code: "PUTAWAY.BIN_FULL", message: `Bin ${target.code} holds ${target.used} of ${target.capacity} units now: no room for ${p.quantity}. Nothing was moved. ${then}`, keep: true };
    }
    // Received units wait in the receiving bin; a cancelled order's picked units in the bin the putaway names (staging).
    const source = p.sourceBinId ?? (await ensureReceivingBin(tx, shopId, locationId, warehouse.layout.depot));
    const ref = { type: "putaway", id: p.id };
    await moveBinStock(tx, shopId, { locationId, binId: source, variantId: p.variantId, lot: p.lot, delta: -p.quantity, reason: "putaway", idempotencyKey: `putaway:${p.id}:out`, ref });
    await moveBinStock(tx, shopId, { locationId, binId: target.id, variantId: p.variantId, lot: p.lot, expiresAt: p.expiresAt, delta: p.quantity, reason: "putaway", idempotencyKey: `putaway:${p.id}:in`, ref });
    if (!(await closePutaway(tx, shopId, p.id, target.id))) throw new AppError("unexpected_state", "PUTAWAY.CLOSED_MEANWHILE", `Putaway ${p.id} was closed meanwhile`);
    // Labour (ADR 0034): one putaway event of the worker, keyed by the putaway (a second confirmation records none).
    await insertLabourEvents(tx, shopId, [{ locationId, worker: scan.worker ?? null, kind: "putaway", naturalKey: `putaway:${p.id}`, lines: 1, units: p.quantity }]);
    return { kind: "done" as const, applied: true };
  });
  if (result.kind === "refused") throw new AppError("conflict", result.code, result.message);
  const locationId = await requireLocation(database(), shopId, location);
  const after = await readPutaway(database(), shopId, locationId, id);
  return { applied: result.applied, putaway: view(after!) };
}
