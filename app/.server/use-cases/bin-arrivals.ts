import { abcClasses, chooseBin, rankStorageBins, type BinState, type PutawaySuggestion } from "~/domain/warehouse/putaway";
import type { Tx } from "../db/database";
import { sqlTime } from "../db/ids";
import { addToPutaway, listPutaways, setPutawaySuggestion } from "../db/receiving-sql";
import { binsOf, binStockAt, ensureReceivingBin, findWarehouse, moveBinStock, unitsSoldSince } from "../db/warehouse-sql";

/** Days of order lines that make a SKU's velocity (its ABC class). */
export const VELOCITY_DAYS = 30;

export interface BinArrival {
  locationId: string;
  variantId: string;
  quantity: number;
  lot: string;
  expiresAt: string | null;
  /** The key of the on-hand ledger entry the units came with: the bin ledger row takes the same one. */
  idempotencyKey: string;
  ref?: { type: string; id: string };
}

/**
 * Inside the transaction that raised a location's on hand: at a location managed by the warehouse module, the
 * same units land in its receiving bin (a bin ledger row under the same key) and join the open putaway of their
 * SKU and lot. Undefined at an unmanaged location (nothing to do).
 */
export async function intoReceivingBin(tx: Tx, shopId: string, a: BinArrival): Promise<{ locationId: string; putawayId: string } | undefined> {
  const warehouse = await findWarehouse(tx, shopId, a.locationId);
  if (!warehouse) return undefined;
  const binId = await ensureReceivingBin(tx, shopId, a.locationId, warehouse.layout.depot);
  if (!(await moveBinStock(tx, shopId, { locationId: a.locationId, binId, variantId: a.variantId, lot: a.lot, expiresAt: a.expiresAt, delta: a.quantity, reason: "received", idempotencyKey: a.idempotencyKey, ref: a.ref }))) return undefined;
  return { locationId: a.locationId, putawayId: await addToPutaway(tx, shopId, { locationId: a.locationId, variantId: a.variantId, lot: a.lot, expiresAt: a.expiresAt, quantity: a.quantity }) };
}

/**
 * (Re)computes the suggested bin of these open putaways, once per location: a bin already holding the lot with
 * room, else the best empty bin for the SKU's ABC class (ADR 0029). Units already suggested to a bin by another
 * open putaway count as taken, so two putaways are not sent to the same last free space.
 */
export async function suggestPutaways(tx: Tx, shopId: string, touched: readonly { locationId: string; putawayId: string }[], now = new Date()): Promise<Map<string, PutawaySuggestion>> {
  const out = new Map<string, PutawaySuggestion>();
  const byLocation = new Map<string, Set<string>>();
  for (const t of touched) byLocation.set(t.locationId, (byLocation.get(t.locationId) ?? new Set()).add(t.putawayId));
  if (byLocation.size === 0) return out;
  const classes = abcClasses(await unitsSoldSince(tx, shopId, sqlTime(new Date(now.getTime() - VELOCITY_DAYS * 86_400_000))));
  for (const [locationId, ids] of byLocation) {
    const warehouse = await findWarehouse(tx, shopId, locationId);
    if (!warehouse) continue;
    const bins = await binsOf(tx, shopId, locationId);
    const lots = new Map<string, number>();
    for (const s of await binStockAt(tx, shopId, locationId)) lots.set(`${s.binId}|${s.variantId}|${s.lot}`, (lots.get(`${s.binId}|${s.variantId}|${s.lot}`) ?? 0) + s.quantity);
    const open = await listPutaways(tx, shopId, locationId, "open", 10_000);
    const reserved = new Map<string, number>();
    for (const p of open) if (p.suggestedBinId && !ids.has(p.id)) reserved.set(p.suggestedBinId, (reserved.get(p.suggestedBinId) ?? 0) + p.quantity);
    const ranked = rankStorageBins(warehouse.layout, bins.map((b) => ({ id: b.id, code: b.code, aisle: b.aisle, yM: b.yM, capacity: b.capacity, kind: b.kind, used: b.used, sameLot: 0 })));
    for (const p of open.filter((o) => ids.has(o.id))) {
      const state = (b: BinState) => ({ used: b.used + (reserved.get(b.id) ?? 0), sameLot: lots.get(`${b.id}|${p.variantId}|${p.lot}`) ?? 0 });
      const suggestion = chooseBin(ranked, p.quantity, classes.get(p.variantId) ?? "C", state);
      await setPutawaySuggestion(tx, shopId, p.id, suggestion.ok ? suggestion.binId : null);
      if (suggestion.ok) reserved.set(suggestion.binId, (reserved.get(suggestion.binId) ?? 0) + p.quantity);
      out.set(p.id, suggestion);
    }
  }
  return out;
}
