// Waves (issue 13, item 5; ADR 0030): orders grouped by the carrier pick-up they must make, released in the order
// the trucks leave, so what must leave today is picked first. Each carrier has daily cut-off times (warehouse
// local time, a fixed UTC offset) on some weekdays; an order goes to its carrier's first cut-off at or after
// `now` + the pick lead time — one whose cut-off has passed goes to the next one. Waves are ordered by cut-off,
// then by the highest priority they hold, then carrier; inside a wave, priority (high first), then promise date.
// An order whose wave leaves after its promise date is listed as late. Batches are built within a wave.
import { type BatchOrder, type Batching, type BatchingOptions, batchOrders, validateBatchingInput } from "./batching";
import { type WarehouseLayout } from "./layout";

export interface CarrierCutoffs {
  carrier: string;
  /** Daily cut-offs, "HH:MM" warehouse local time. */
  cutoffs: readonly string[];
  /** Days the carrier collects, 0 = Sunday … 6 = Saturday (default every day). */
  weekdays?: readonly number[];
}

export interface WaveOrder {
  id: string;
  /** No carrier: the order has no cut-off and goes to the last wave. */
  carrier?: string | null;
  /** Higher is picked first (default 0). */
  priority?: number;
  /** "YYYY-MM-DD", warehouse local date the order was promised to leave by. */
  promiseDate?: string | null;
}

export interface WaveInput {
  /** ISO instant. */
  now: string;
  carriers: readonly CarrierCutoffs[];
  orders: readonly WaveOrder[];
  /** Warehouse local time = UTC + this (fixed; daylight-saving changes are not followed). Default 0. */
  utcOffsetMinutes?: number;
  /** Minutes needed to pick and pack before a cut-off (default 0). */
  pickLeadMinutes?: number;
}

export interface Wave {
  /** 1-based release order. */
  number: number;
  carrier: string | null;
  /** ISO instant of the cut-off (null: no carrier, no cut-off). */
  cutoffAt: string | null;
  /** The cut-off in warehouse local time, "YYYY-MM-DD HH:MM". */
  cutoffLocal: string | null;
  topPriority: number;
  orderIds: string[];
  /** Orders in this wave whose promise date is before the cut-off's local date. */
  lateOrderIds: string[];
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Cut-offs searched ahead of now (a carrier collecting weekly still has one inside). */
const HORIZON_DAYS = 8;

const validDate = (s: string) => {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
};

/** Every problem with the wave input (empty when usable). */
export function validateWaveInput(input: WaveInput): string[] {
  const issues: string[] = [];
  if (Number.isNaN(Date.parse(input.now))) issues.push(`now: must be an ISO date-time (got ${JSON.stringify(input.now)})`);
  const offset = input.utcOffsetMinutes ?? 0;
  if (!(Number.isInteger(offset) && offset >= -840 && offset <= 840)) issues.push(`utcOffsetMinutes: must be a whole number from -840 to 840 (got ${offset})`);
  const lead = input.pickLeadMinutes ?? 0;
  if (!(Number.isInteger(lead) && lead >= 0 && lead <= 1440)) issues.push(`pickLeadMinutes: must be a whole number from 0 to 1440 (got ${lead})`);
  const carriers = new Set<string>();
  input.carriers.forEach((c, i) => {
    if (c.carrier.trim() === "") issues.push(`carriers[${i}].carrier: must not be empty`);
    else if (carriers.has(c.carrier)) issues.push(`carriers[${i}].carrier: duplicate carrier ${JSON.stringify(c.carrier)}`);
    carriers.add(c.carrier);
    if (c.cutoffs.length === 0) issues.push(`carriers[${i}].cutoffs: at least one cut-off time`);
    c.cutoffs.forEach((t, k) => {
      if (!HHMM.test(t)) issues.push(`carriers[${i}].cutoffs[${k}]: must be HH:MM, 00:00 to 23:59 (got ${JSON.stringify(t)})`);
    });
    if (c.weekdays && (c.weekdays.length === 0 || c.weekdays.some((d) => !(Number.isInteger(d) && d >= 0 && d <= 6)))) issues.push(`carriers[${i}].weekdays: days 0 (Sunday) to 6 (Saturday), at least one`);
  });
  const ids = new Set<string>();
  input.orders.forEach((o, i) => {
    if (ids.has(o.id)) issues.push(`orders[${i}].id: duplicate order id ${JSON.stringify(o.id)}`);
    ids.add(o.id);
    if (o.carrier != null && !carriers.has(o.carrier)) issues.push(`orders[${i}].carrier: no cut-offs given for carrier ${JSON.stringify(o.carrier)}`);
    if (o.priority !== undefined && !Number.isInteger(o.priority)) issues.push(`orders[${i}].priority: must be a whole number (got ${o.priority})`);
    if (o.promiseDate != null && !validDate(o.promiseDate)) issues.push(`orders[${i}].promiseDate: must be a date YYYY-MM-DD (got ${JSON.stringify(o.promiseDate)})`);
  });
  return issues;
}

export class InvalidWaveInputError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid wave input: ${issues.join("; ")}`);
    this.name = "InvalidWaveInputError";
  }
}

const pad = (n: number) => String(n).padStart(2, "0");
/** "YYYY-MM-DD HH:MM" of a UTC instant shifted into local time. */
const localText = (utcMs: number, offset: number) => {
  const d = new Date(utcMs + offset * 60_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

/** The first cut-off of a carrier at or after `earliestMs` (UTC ms), or null within the horizon. */
export function nextCutoffMs(carrier: CarrierCutoffs, earliestMs: number, utcOffsetMinutes = 0): number | null {
  const offsetMs = utcOffsetMinutes * 60_000;
  const local = new Date(earliestMs + offsetMs);
  const dayStart = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  const times = carrier.cutoffs.map((t) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5))).sort((a, b) => a - b);
  for (let day = 0; day <= HORIZON_DAYS; day++) {
    const start = dayStart + day * 86_400_000;
    if (carrier.weekdays && !carrier.weekdays.includes(new Date(start).getUTCDay())) continue;
    for (const minutes of times) {
      const at = start + minutes * 60_000 - offsetMs;
      if (at >= earliestMs) return at;
    }
  }
  return null;
}

/** Orders into waves, released in cut-off order. Throws InvalidWaveInputError on what validateWaveInput refuses. */
export function planWaves(input: WaveInput): Wave[] {
  const issues = validateWaveInput(input);
  if (issues.length > 0) throw new InvalidWaveInputError(issues);
  const offset = input.utcOffsetMinutes ?? 0;
  const earliest = Date.parse(input.now) + (input.pickLeadMinutes ?? 0) * 60_000;
  const cutoffOf = new Map<string, number | null>();
  // Valid input always has one within the horizon (every carrier collects at least weekly).
  for (const c of input.carriers) cutoffOf.set(c.carrier, nextCutoffMs(c, earliest, offset));
  const groups = new Map<string, { carrier: string | null; cutoff: number | null; orders: { order: WaveOrder; index: number }[] }>();
  input.orders.forEach((order, index) => {
    const carrier = order.carrier ?? null;
    const cutoff = carrier === null ? null : cutoffOf.get(carrier)!;
    const key = `${cutoff ?? "none"}|${carrier ?? ""}`;
    if (!groups.has(key)) groups.set(key, { carrier, cutoff, orders: [] });
    groups.get(key)!.orders.push({ order, index });
  });
  const waves = [...groups.values()].map((g) => {
    const sorted = [...g.orders].sort(
      (a, b) => (b.order.priority ?? 0) - (a.order.priority ?? 0) || (a.order.promiseDate ?? "9999").localeCompare(b.order.promiseDate ?? "9999") || a.index - b.index,
    );
    const cutoffLocal = g.cutoff === null ? null : localText(g.cutoff, offset);
    return {
      number: 0,
      carrier: g.carrier,
      cutoffAt: g.cutoff === null ? null : new Date(g.cutoff).toISOString(),
      cutoffLocal,
      topPriority: Math.max(...g.orders.map((o) => o.order.priority ?? 0)),
      orderIds: sorted.map((o) => o.order.id),
      lateOrderIds: cutoffLocal === null ? [] : sorted.filter((o) => o.order.promiseDate != null && o.order.promiseDate < cutoffLocal.slice(0, 10)).map((o) => o.order.id),
    };
  });
  waves.sort((a, b) => (a.cutoffAt === null ? 1 : 0) - (b.cutoffAt === null ? 1 : 0) || (a.cutoffAt ?? "").localeCompare(b.cutoffAt ?? "") || b.topPriority - a.topPriority || (a.carrier ?? "").localeCompare(b.carrier ?? ""));
  return waves.map((w, i) => ({ ...w, number: i + 1 }));
}

export interface WaveBatchOrder extends BatchOrder, WaveOrder {}

export interface WaveWithBatches extends Wave {
  batching: Batching;
  /** The same wave batched first come, first served (in the wave's order), for comparison. */
  fcfsLengthM: number;
}

/** Waves, then batches within each wave (orders of different waves never share a cart). */
export function planWavesAndBatches(
  layout: WarehouseLayout,
  orders: readonly WaveBatchOrder[],
  waves: Omit<WaveInput, "orders">,
  batching: BatchingOptions,
): WaveWithBatches[] {
  const issues = [...validateBatchingInput(layout, orders, batching.capacityItems), ...validateWaveInput({ ...waves, orders })];
  if (issues.length > 0) throw new InvalidWaveInputError(issues);
  const byId = new Map(orders.map((o) => [o.id, o]));
  return planWaves({ ...waves, orders }).map((wave) => {
    const members = wave.orderIds.map((id) => byId.get(id)!);
    return {
      ...wave,
      batching: batchOrders(layout, members, batching),
      fcfsLengthM: batchOrders(layout, members, { capacityItems: batching.capacityItems, algorithm: "fcfs" }).totalLengthM,
    };
  });
}
