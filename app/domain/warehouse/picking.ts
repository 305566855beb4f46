// Pick, pack, ship (issue 13, item 6; ADR 0033), the pure part: which bins a wave's order lines are taken from,
// the order the lines are walked in (the drawn route), and the checks of every scan — the right bin, the right SKU,
// never more than the line needs; at packing, only units that were picked for the order, and every one of them
// before the package is closed.
import { type WarehouseLayout, geometryOf, travelM } from "./layout";
import { type PickRoute, pickRoute } from "./pick-route";

/** Units of an order line reserved at the location, to be picked. */
export interface PickNeed {
  orderId: string;
  orderLineId: string;
  variantId: string;
  quantity: number;
}

/** What a bin holds of a variant and lot, less what open pick lines already take from it. */
export interface BinSupply {
  binId: string;
  code: string;
  kind: string;
  aisle: number;
  yM: number;
  variantId: string;
  lot: string;
  expiresAt: string | null;
  available: number;
}

export interface PickAssignment extends PickNeed {
  binId: string;
  code: string;
  aisle: number;
  yM: number;
  lot: string;
}

export interface BinAssignment {
  lines: PickAssignment[];
  /** Needs (or parts of them) no bin holds: the order cannot be picked whole. */
  missing: { orderId: string; orderLineId: string; variantId: string; quantity: number }[];
}

/**
 * Bins for each need, in the order given (first come, first served): storage bins before the receiving bin; the
 * earliest-expiring lot first (no expiry last); then a bin that holds the whole need over one that does not; then
 * the bin nearest the depot. A need larger than any bin is split over bins in that order. Supplies are consumed as
 * they are assigned, so two needs are never sent to the same last units.
 */
export function assignBins(layout: WarehouseLayout, needs: readonly PickNeed[], supplies: readonly BinSupply[]): BinAssignment {
  const g = geometryOf(layout);
  const left = supplies.map((s) => ({ ...s, distance: travelM(g, layout.depot, { aisle: s.aisle, yM: s.yM }) }));
  const lines: PickAssignment[] = [];
  const missing: BinAssignment["missing"] = [];
  for (const need of needs) {
    let still = need.quantity;
    while (still > 0) {
      const candidates = left.filter((s) => s.variantId === need.variantId && s.available > 0 && s.kind !== "staging");
      if (candidates.length === 0) break;
      candidates.sort((a, b) => kindRank(a) - kindRank(b) || (a.expiresAt ?? "~").localeCompare(b.expiresAt ?? "~") || Number(b.available >= still) - Number(a.available >= still) || a.distance - b.distance || a.code.localeCompare(b.code));
      const s = candidates[0];
      const take = Math.min(still, s.available);
      s.available -= take;
      still -= take;
      const same = lines.find((l) => l.orderLineId === need.orderLineId && l.binId === s.binId && l.lot === s.lot);
      if (same) same.quantity += take;
      else lines.push({ ...need, quantity: take, binId: s.binId, code: s.code, aisle: s.aisle, yM: s.yM, lot: s.lot });
    }
    if (still > 0) missing.push({ orderId: need.orderId, orderLineId: need.orderLineId, variantId: need.variantId, quantity: still });
  }
  return { lines, missing };
}

const kindRank = (s: { kind: string }) => (s.kind === "storage" ? 0 : 1);

/** The lines in the order the optimal route visits their bins (lines at one bin together), numbered from 1. */
export function routeOrder<T extends { aisle: number; yM: number }>(layout: WarehouseLayout, lines: readonly T[]): { route: PickRoute; lines: (T & { seq: number })[] } {
  const route = pickRoute(layout, lines.map((l) => ({ aisle: l.aisle, yM: l.yM })));
  return { route, lines: route.sequence.map((s, i) => ({ ...lines[s.index], seq: i + 1 })) };
}

export type ScanCheck = { ok: true; quantity: number } | { ok: false; code: string; message: string };

export interface PickLineView {
  binCode: string;
  sku: string;
  barcode?: string | null;
  quantity: number;
  picked: number;
  short: number;
  status: string;
}

const norm = (s: string) => s.trim().toUpperCase();

/** Whether a scanned or typed code names the SKU: the SKU (any case) or its barcode. */
export function codeMatchesSku(code: string, sku: string, barcode?: string | null): boolean {
  const c = code.trim();
  return c !== "" && (norm(c) === norm(sku) || (barcode != null && barcode !== "" && c === barcode));
}

const CANCELLED_LINE = { ok: false as const, code: "PICK.LINE_CANCELLED", message: "This pick was cancelled: its order was cancelled. Take nothing from the bin; nothing was picked." };

/** A pick confirmation: bin scanned, then SKU, then how many (default: all the line still needs). */
export function checkPickScan(line: PickLineView, scan: { bin: string; code: string; quantity?: number }): ScanCheck {
  const remaining = line.quantity - line.picked - line.short;
  if (line.status === "cancelled") return CANCELLED_LINE;
  if (line.status !== "open" || remaining <= 0) return { ok: false, code: "PICK.LINE_CLOSED", message: `This pick is done already (${line.picked} of ${line.quantity} picked${line.short ? `, ${line.short} short` : ""}); nothing was picked` };
  if (norm(scan.bin) !== norm(line.binCode)) return { ok: false, code: "PICK.WRONG_BIN", message: `Wrong bin: you scanned ${scan.bin.trim() || "nothing"}, but this pick is in ${line.binCode}. Nothing was picked.` };
  if (!codeMatchesSku(scan.code, line.sku, line.barcode)) return { ok: false, code: "PICK.WRONG_SKU", message: `Wrong item: you scanned ${scan.code.trim() || "nothing"}, but this pick is ${line.sku} from ${line.binCode}. Nothing was picked.` };
  const quantity = scan.quantity ?? remaining;
  if (!Number.isInteger(quantity) || quantity < 1) return { ok: false, code: "PICK.BAD_QUANTITY", message: `A pick takes a whole number of units ≥ 1 (got ${scan.quantity}); nothing was picked` };
  if (quantity > remaining) return { ok: false, code: "PICK.OVER_PICK", message: `Over-pick: this pick needs ${remaining} more of ${line.sku}, you confirmed ${quantity}. Nothing was picked.` };
  return { ok: true, quantity };
}

/** A short pick: the worker found `found` units (0: the bin is empty) of what the line still needs. */
export function checkShortPick(line: PickLineView, report: { bin: string; found: number }): { ok: true; found: number; short: number } | { ok: false; code: string; message: string } {
  const remaining = line.quantity - line.picked - line.short;
  if (line.status === "cancelled") return CANCELLED_LINE;
  if (line.status !== "open" || remaining <= 0) return { ok: false, code: "PICK.LINE_CLOSED", message: `This pick is done already; nothing was changed` };
  if (norm(report.bin) !== norm(line.binCode)) return { ok: false, code: "PICK.WRONG_BIN", message: `Wrong bin: you scanned ${report.bin.trim() || "nothing"}, but this pick is in ${line.binCode}. Nothing was changed.` };
  if (!Number.isInteger(report.found) || report.found < 0) return { ok: false, code: "PICK.BAD_QUANTITY", message: `Units found must be a whole number ≥ 0 (got ${report.found}); nothing was changed` };
  if (report.found >= remaining) return { ok: false, code: "PICK.NOT_SHORT", message: `${report.found} found covers the ${remaining} this pick needs: confirm the pick instead. Nothing was changed.` };
  return { ok: true, found: report.found, short: remaining - report.found };
}

export interface PackItem {
  variantId: string;
  sku: string;
  barcode?: string | null;
  picked: number;
  verified: number;
}

/** A packing scan: an item picked for this order and not all verified yet. */
export function checkPackScan(items: readonly PackItem[], scan: { code: string; quantity?: number }): { ok: true; variantId: string; quantity: number } | { ok: false; code: string; message: string } {
  const item = items.find((i) => codeMatchesSku(scan.code, i.sku, i.barcode));
  const listed = items.map((i) => `${i.sku} ×${i.picked}`).join(", ") || "nothing";
  if (!item) return { ok: false, code: "PACK.WRONG_ITEM", message: `Wrong item: ${scan.code.trim() || "nothing"} was not picked for this order (picked: ${listed}). Nothing was recorded.` };
  const quantity = scan.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1) return { ok: false, code: "PACK.BAD_QUANTITY", message: `A packing scan counts a whole number of units ≥ 1 (got ${scan.quantity}); nothing was recorded` };
  if (item.verified + quantity > item.picked) return { ok: false, code: "PACK.TOO_MANY", message: `Too many ${item.sku}: ${item.picked} were picked for this order and ${item.verified} are verified already. Nothing was recorded.` };
  return { ok: true, variantId: item.variantId, quantity };
}

/** What is still to verify before the package can be closed (empty: ready). */
export function unverified(items: readonly PackItem[]): { sku: string; missing: number }[] {
  return items.filter((i) => i.verified < i.picked).map((i) => ({ sku: i.sku, missing: i.picked - i.verified }));
}

export interface PackageInput {
  weightGrams: number;
  lengthCm?: number;
  widthCm?: number;
  heightCm?: number;
}

export interface CloseInput {
  carrier: string;
  trackingNumber: string;
  service?: string;
  packages: PackageInput[];
}

const TRACKING = /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,63}$/;

/** Every problem of a package close at once (empty: fine). */
export function closeProblems(input: Partial<CloseInput> | null | undefined): string[] {
  const problems: string[] = [];
  if (!input || typeof input !== "object") return ["a body { carrier, trackingNumber, packages: [{ weightGrams }] } is needed"];
  if (typeof input.carrier !== "string" || input.carrier.trim() === "" || input.carrier.length > 60) problems.push("carrier: 1–60 characters");
  if (typeof input.trackingNumber !== "string" || !TRACKING.test(input.trackingNumber.trim())) problems.push("trackingNumber: 1–64 letters, digits, spaces or . _ / -");
  if (input.service !== undefined && (typeof input.service !== "string" || input.service.length > 100)) problems.push("service: at most 100 characters");
  if (!Array.isArray(input.packages) || input.packages.length === 0 || input.packages.length > 50) problems.push("packages: 1 to 50 packages");
  else {
    input.packages.forEach((p, i) => {
      if (!p || typeof p !== "object") return problems.push(`packages[${i}]: an object { weightGrams, lengthCm?, widthCm?, heightCm? }`);
      if (typeof p.weightGrams !== "number" || !Number.isFinite(p.weightGrams) || p.weightGrams <= 0 || p.weightGrams > 1_000_000) problems.push(`packages[${i}].weightGrams: a number of grams above 0 and at most 1,000,000`);
      for (const d of ["lengthCm", "widthCm", "heightCm"] as const) {
        const v = p[d];
        if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v <= 0 || v > 1000)) problems.push(`packages[${i}].${d}: a number of centimetres above 0 and at most 1,000`);
      }
      return undefined;
    });
  }
  return problems;
}

/** A pick line of an order that was cancelled, as the unpick plan sees it. */
export interface UnpickLine {
  id: string;
  taskId: string;
  locationId: string;
  variantId: string;
  lot: string;
  picked: number;
  status: string;
  /** The order's pack at this location shipped already: its picked units left the building. */
  shipped: boolean;
}

export interface UnpickPlan {
  /** Lines to close (status cancelled): the open ones, and the finished ones whose picked units still wait in staging. */
  close: UnpickLine[];
  /** Staged units to put back into storage, per location, SKU and lot (from the staging bin). */
  putBack: { locationId: string; variantId: string; lot: string; quantity: number }[];
}

/**
 * What a cancelled order's picking leaves to undo (ADR 0033): its open lines close, so no worker picks them and they
 * no longer hold bin supply; every unit it picked that has not shipped is in the staging bin and goes back to storage
 * by a putaway. Lines closed already (cancelled) or whose pack shipped are left alone, so planning again after the
 * changes were applied plans nothing.
 */
export function unpickPlan(lines: readonly UnpickLine[]): UnpickPlan {
  const close = lines.filter((l) => !l.shipped && (l.status === "open" || ((l.status === "picked" || l.status === "short") && l.picked > 0)));
  const putBack: UnpickPlan["putBack"] = [];
  for (const l of close) {
    if (l.picked <= 0) continue;
    const same = putBack.find((p) => p.locationId === l.locationId && p.variantId === l.variantId && p.lot === l.lot);
    if (same) same.quantity += l.picked;
    else putBack.push({ locationId: l.locationId, variantId: l.variantId, lot: l.lot, quantity: l.picked });
  }
  return { close, putBack };
}
