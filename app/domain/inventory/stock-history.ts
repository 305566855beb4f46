import { available } from "./availability";

// A SKU's stock over time, rebuilt from the ledger by walking back from today's figures: the figures just
// before a movement are the figures after it less its delta. The ledger moves the on_hand and reserved
// buckets (and could move safety); a bucket it never records (incoming) or a safety change made without a
// ledger row is taken as it is today over the whole window.

/** Today's figures at one location. */
export interface LocationFigures {
  locationId: string;
  onHand: number;
  reserved: number;
  safety: number;
}

/** One ledger row as history needs it: when (ISO time), where, which bucket moved and by how much. */
export interface Movement {
  at: string;
  locationId: string;
  bucket: string;
  delta: number;
}

export interface StockPoint {
  at: string;
  onHand: number;
  reserved: number;
  safety: number;
  available: number;
}

export interface LocationHistory {
  locationId: string;
  /** Oldest first: the figures at `from`, then the figures after each movement in the window, then today's at `now`. */
  points: StockPoint[];
}

/** The location id of the all-locations history (`totalHistory`). */
export const ALL_LOCATIONS = "*";

type Buckets = Omit<StockPoint, "at" | "available">;

const point = (at: string, b: Buckets): StockPoint => ({ at, ...b, available: available(b) });

/** The figures before a movement, from the figures after it. A bucket history does not chart is left as is. */
function undo(after: Buckets, m: Movement): Buckets {
  switch (m.bucket) {
    case "on_hand":
      return { ...after, onHand: after.onHand - m.delta };
    case "reserved":
      return { ...after, reserved: after.reserved - m.delta };
    case "safety":
      return { ...after, safety: after.safety - m.delta };
    default:
      return after;
  }
}

/**
 * Each location's stock over the window [from, now], from today's figures and the ledger's movements
 * NEWEST FIRST (as the ledger is read). Movements before `from` or at locations not in `current` are left
 * out; one later than `now` (clock skew) counts at `now`. Movements at the same instant keep their order.
 */
export function stockHistory(current: readonly LocationFigures[], movementsNewestFirst: readonly Movement[], window: { from: string; now: string }): LocationHistory[] {
  const from = Date.parse(window.from);
  const now = Date.parse(window.now);
  return current.map((level) => {
    let figures: Buckets = { onHand: level.onHand, reserved: level.reserved, safety: level.safety };
    const newestFirst: StockPoint[] = [point(window.now, figures)];
    for (const m of movementsNewestFirst) {
      if (m.locationId !== level.locationId) continue;
      const at = Date.parse(m.at);
      if (at < from) continue;
      newestFirst.push(point(at > now ? window.now : m.at, figures)); // the figures just after m
      figures = undo(figures, m);
    }
    newestFirst.push(point(window.from, figures));
    return { locationId: level.locationId, points: newestFirst.reverse() };
  });
}

/** All locations of `current` together (id `ALL_LOCATIONS`): their sums, moved by every movement at one of them. */
export function totalHistory(current: readonly LocationFigures[], movementsNewestFirst: readonly Movement[], window: { from: string; now: string }): LocationHistory {
  const known = new Set(current.map((l) => l.locationId));
  const sum = current.reduce((s, l) => ({ ...s, onHand: s.onHand + l.onHand, reserved: s.reserved + l.reserved, safety: s.safety + l.safety }), { locationId: ALL_LOCATIONS, onHand: 0, reserved: 0, safety: 0 });
  const moves = movementsNewestFirst.filter((m) => known.has(m.locationId)).map((m) => ({ ...m, locationId: ALL_LOCATIONS }));
  return stockHistory([sum], moves, window)[0];
}

export interface DailyFigures {
  /** UTC calendar day, YYYY-MM-DD. */
  day: string;
  onHand: number;
  available: number;
}

/** The first instant of the UTC day `daysBack` days before `now`'s: where a `days`-day chart starts. */
export function windowStart(now: Date, daysBack: number): string {
  const today = Math.floor(now.getTime() / 86_400_000);
  return new Date((today - daysBack) * 86_400_000).toISOString();
}

/**
 * The figures at the end of each UTC day of a history, from its `from` day to `now`'s day (today's are the
 * figures now): what a daily chart plots. `points` is a `stockHistory` series (oldest first).
 */
export function dailyFigures(points: readonly StockPoint[], now: Date): DailyFigures[] {
  if (points.length === 0) return [];
  const first = Math.floor(Date.parse(points[0].at) / 86_400_000);
  const last = Math.floor(now.getTime() / 86_400_000);
  const days: DailyFigures[] = [];
  let i = 0;
  for (let day = first; day <= last; day++) {
    const end = (day + 1) * 86_400_000;
    while (i + 1 < points.length && Date.parse(points[i + 1].at) < end) i++;
    days.push({ day: new Date(day * 86_400_000).toISOString().slice(0, 10), onHand: points[i].onHand, available: points[i].available });
  }
  return days;
}
