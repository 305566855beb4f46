import { geometryOf, travelM, type WarehouseLayout } from "./layout";

// Where received units go (issue 13, item 3; ADR 0029): a bin that already holds the SKU's lot and has room,
// else the best empty bin for the SKU's velocity class (ABC slotting: fast movers nearest the depot by walking
// distance). Pure: plain data in, plain data out.

export type VelocityClass = "A" | "B" | "C";

/**
 * ABC classes from units sold per SKU over a recent window: SKUs sorted by units, A while the cumulative share
 * before it is under 80 %, B under 95 %, C the rest (and every SKU that sold nothing). Ties keep input order.
 */
export function abcClasses(unitsBySku: ReadonlyMap<string, number>, cut: { a: number; b: number } = { a: 0.8, b: 0.95 }): Map<string, VelocityClass> {
  const sold = [...unitsBySku].filter(([, u]) => u > 0).sort((x, y) => y[1] - x[1]);
  const total = sold.reduce((s, [, u]) => s + u, 0);
  const classes = new Map<string, VelocityClass>();
  let before = 0;
  for (const [sku, units] of sold) {
    classes.set(sku, before / total < cut.a ? "A" : before / total < cut.b ? "B" : "C");
    before += units;
  }
  for (const [sku] of unitsBySku) if (!classes.has(sku)) classes.set(sku, "C");
  return classes;
}

export interface BinState {
  id: string;
  code: string;
  aisle: number;
  yM: number;
  /** null: unlimited (the receiving bin, never suggested). */
  capacity: number | null;
  kind: "storage" | "receiving" | "staging";
  /** Units in the bin, all SKUs and lots. */
  used: number;
  /** Units of the SKU being put away, of the same lot. */
  sameLot: number;
}

export type PutawaySuggestion =
  | { ok: true; binId: string; code: string; why: "same_lot" | "empty_bin"; distanceM: number; band: VelocityClass }
  | { ok: false; reason: string };

export interface RankedBin {
  bin: BinState;
  distanceM: number;
  band: VelocityClass;
}

/**
 * Storage bins (the receiving bin and bins without a capacity left out) by walking distance from the depot
 * (code breaks ties), each in its third: A the nearest, then B, then C. Depends only on the layout and the bins,
 * so a caller suggesting for several putaways ranks once.
 */
export function rankStorageBins(layout: WarehouseLayout, bins: readonly BinState[]): RankedBin[] {
  const g = geometryOf(layout);
  const ranked = bins
    .filter((b) => b.kind === "storage" && b.capacity !== null)
    .map((bin) => ({ bin, distanceM: travelM(g, layout.depot, { aisle: bin.aisle, yM: bin.yM }), band: "A" as VelocityClass }))
    .sort((x, y) => x.distanceM - y.distanceM || (x.bin.code < y.bin.code ? -1 : x.bin.code > y.bin.code ? 1 : 0));
  ranked.forEach((r, rank) => (r.band = rank < ranked.length / 3 ? "A" : rank < (2 * ranked.length) / 3 ? "B" : "C"));
  return ranked;
}

/**
 * The bin for `quantity` units of one SKU and lot. First a storage bin already holding that lot with room for
 * all of them (nearest the depot). Else an empty bin with the capacity: bins are ranked by walking distance
 * from the depot and split in thirds (A nearest, then B, then C); the SKU's class takes the nearest empty bin
 * of its own band, then of the bands next to it (A → B → C, B → A → C, C → B → A).
 */
export function suggestPutaway(layout: WarehouseLayout, bins: readonly BinState[], quantity: number, velocity: VelocityClass): PutawaySuggestion {
  return chooseBin(rankStorageBins(layout, bins), quantity, velocity);
}

/** suggestPutaway over bins ranked already; `state` gives a bin's current used and same-lot units (default: the bin's own). */
export function chooseBin(ranked: readonly RankedBin[], quantity: number, velocity: VelocityClass, state: (bin: BinState) => { used: number; sameLot: number } = (b) => b): PutawaySuggestion {
  if (!Number.isInteger(quantity) || quantity <= 0) return { ok: false, reason: `a putaway needs a positive whole quantity, got ${quantity}` };
  const room = (b: BinState) => (b.capacity ?? Infinity) - state(b).used;
  const sameLot = ranked.find(({ bin }) => state(bin).sameLot > 0 && room(bin) >= quantity);
  if (sameLot) return { ok: true, binId: sameLot.bin.id, code: sameLot.bin.code, why: "same_lot", distanceM: sameLot.distanceM, band: sameLot.band };
  const order: Record<VelocityClass, VelocityClass[]> = { A: ["A", "B", "C"], B: ["B", "A", "C"], C: ["C", "B", "A"] };
  for (const band of order[velocity]) {
    const found = ranked.find((r) => r.band === band && state(r.bin).used === 0 && (r.bin.capacity ?? 0) >= quantity);
    if (found) return { ok: true, binId: found.bin.id, code: found.bin.code, why: "empty_bin", distanceM: found.distanceM, band };
  }
  return { ok: false, reason: `no bin holding this lot has room for ${quantity} units, and no empty bin holds ${quantity}` };
}
