import type { VelocityClass } from "./putaway";

// Cycle counts (issue 13, item 7; ADR 0034), as pure rules: which bins the ABC schedule counts today, and what a
// blind count's lines change once approved. Plain data in, plain data out.

/** Days between two counts of a bin, by the best class of the SKUs it holds: fast movers are counted most often. */
export const COUNT_INTERVAL_DAYS: Readonly<Record<VelocityClass, number>> = { A: 30, B: 90, C: 180 };

const DAY_MS = 86_400_000;
const RANK: Record<VelocityClass, number> = { A: 0, B: 1, C: 2 };

export interface ScheduleBin {
  id: string;
  code: string;
  /** The classes of the SKUs in the bin (a bin holding nothing is not scheduled: nothing to count). */
  classes: readonly VelocityClass[];
  /** When the bin was last counted (ISO time); null: never. */
  lastCountedAt: string | null;
}

export interface DueBin {
  id: string;
  code: string;
  cls: VelocityClass;
  /** Days since the last count ÷ the class's interval (≥ 1 when due; Infinity: never counted). */
  overdue: number;
}

/** A bin's class: the best of its SKUs' (A before B before C); undefined for an empty bin. */
export function binClass(classes: readonly VelocityClass[]): VelocityClass | undefined {
  let best: VelocityClass | undefined;
  for (const c of classes) if (best === undefined || RANK[c] < RANK[best]) best = c;
  return best;
}

/**
 * The daily cap that spreads the counts evenly: Σ over stocked bins of 1 / interval (the counts a day the schedule
 * needs in the long run), with 25 % headroom so a backlog (a new warehouse: every bin never counted) is worked off,
 * at least 1.
 */
export function dailyCountCap(bins: readonly Pick<ScheduleBin, "classes">[], intervals = COUNT_INTERVAL_DAYS): number {
  let perDay = 0;
  for (const b of bins) {
    const cls = binClass(b.classes);
    if (cls) perDay += 1 / intervals[cls];
  }
  return Math.max(1, Math.ceil(perDay * 1.25));
}

/**
 * The bins to count today, at most `cap`: every stocked bin whose class interval has passed since its last count
 * (never counted: due), most overdue first (never counted first, then by days since ÷ interval), then A before B
 * before C, then by code. Bins in `skip` (they have a count open or awaiting approval) are left out.
 */
export function binsDueForCount(bins: readonly ScheduleBin[], today: Date, cap: number, opts: { skip?: ReadonlySet<string>; intervals?: Readonly<Record<VelocityClass, number>> } = {}): DueBin[] {
  if (!Number.isInteger(cap) || cap < 0) throw new RangeError(`The daily count cap is a whole number ≥ 0, got ${cap}`);
  const intervals = opts.intervals ?? COUNT_INTERVAL_DAYS;
  const due: DueBin[] = [];
  for (const b of bins) {
    if (opts.skip?.has(b.id)) continue;
    const cls = binClass(b.classes);
    if (!cls) continue;
    const overdue = b.lastCountedAt === null ? Infinity : (today.getTime() - new Date(b.lastCountedAt).getTime()) / DAY_MS / intervals[cls];
    if (overdue >= 1) due.push({ id: b.id, code: b.code, cls, overdue });
  }
  due.sort((x, y) => (x.overdue === y.overdue ? 0 : y.overdue > x.overdue ? 1 : -1) || RANK[x.cls] - RANK[y.cls] || (x.code < y.code ? -1 : x.code > y.code ? 1 : 0));
  return due.slice(0, cap);
}

export interface CountedEntry {
  variantId: string;
  lot: string;
  quantity: number;
}

export interface VarianceLine {
  variantId: string;
  lot: string;
  /** What the bin held at submission (never shown to the worker). */
  expected: number;
  counted: number;
  /** counted − expected: what approval applies, as a delta. */
  variance: number;
}

/**
 * A blind count's lines against what the bin held when it was submitted. Entries of the same SKU and lot add up
 * (the worker scanned it twice); a SKU/lot the bin holds that was not scanned counts as 0 (the worker looked and
 * found none). Refused (RangeError): a quantity that is not a whole number ≥ 0.
 */
export function countVariance(expected: readonly CountedEntry[], counted: readonly CountedEntry[]): VarianceLine[] {
  const key = (e: { variantId: string; lot: string }) => `${e.variantId}\u0000${e.lot}`;
  const lines = new Map<string, VarianceLine>();
  for (const c of counted) {
    if (!Number.isInteger(c.quantity) || c.quantity < 0) throw new RangeError(`A counted quantity is a whole number ≥ 0 (got ${c.quantity})`);
    const line = lines.get(key(c)) ?? { variantId: c.variantId, lot: c.lot, expected: 0, counted: 0, variance: 0 };
    line.counted += c.quantity;
    lines.set(key(c), line);
  }
  for (const e of expected) {
    const line = lines.get(key(e)) ?? { variantId: e.variantId, lot: e.lot, expected: 0, counted: 0, variance: 0 };
    line.expected += e.quantity;
    lines.set(key(e), line);
  }
  return [...lines.values()].map((l) => ({ ...l, variance: l.counted - l.expected })).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The moves approval makes: one per line with a variance, by that variance (the bin and the location's on hand alike). */
export function approvalMoves(lines: readonly VarianceLine[]): { variantId: string; lot: string; delta: number }[] {
  return lines.filter((l) => l.variance !== 0).map((l) => ({ variantId: l.variantId, lot: l.lot, delta: l.variance }));
}

/** Totals for the approval queue: units over, units short, lines that differ. */
export function varianceSummary(lines: readonly Pick<VarianceLine, "variance">[]): { over: number; short: number; linesOff: number } {
  let over = 0;
  let short = 0;
  let linesOff = 0;
  for (const l of lines) {
    if (l.variance > 0) over += l.variance;
    if (l.variance < 0) short -= l.variance;
    if (l.variance !== 0) linesOff += 1;
  }
  return { over, short, linesOff };
}
