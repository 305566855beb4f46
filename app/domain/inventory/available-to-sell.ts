import type { BufferSetting } from "../channels/channel-config";
import { available, type StockBuckets } from "./availability";

// Available to sell (ATS) per channel and SKU: what the channel's locations have available (plus incoming when
// it sells pre-orders, with the earliest date it is expected: the promise), less the channel's buffer, never below
// zero. Each figure says how it was reached.

export interface LevelFigures extends StockBuckets {
  locationId: string;
  incoming: number;
  /** When the earliest of the incoming units is expected (UTC ISO); null or absent: not known. */
  incomingExpectedAt?: string | null;
}

/** How fast the other channels sell a SKU, and how late this channel shows a new figure. */
export interface DemandSignal {
  /** Units per hour the other channels sell of this SKU (they draw on the same stock). */
  otherChannelsPerHour: number;
  /** Standard deviation of that hourly demand. */
  otherChannelsStdPerHour: number;
  /** This channel's measured p95 from a stock change to the figure being visible, in minutes; null: not measured yet. */
  lagP95Minutes: number | null;
}

export interface BufferFigure {
  units: number;
  explanation: string;
}

/**
 * The smallest b with P(D ≤ b) ≥ `level`, for demand D with this mean and variance: Poisson when the variance does
 * not exceed the mean, else negative binomial (overdispersed: bursts). Searched up to `cap` (returned if not reached).
 */
export function demandQuantile(mean: number, variance: number, level: number, cap: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`A service level strictly between 0 and 1 is needed, got ${level}`);
  if (!(mean > 0)) return 0;
  const poisson = variance <= mean * (1 + 1e-9);
  const r = poisson ? 0 : (mean * mean) / (variance - mean);
  const p = poisson ? 0 : mean / variance;
  let logPmf = poisson ? -mean : r * Math.log(p); // P(D = 0)
  let cdf = 0;
  for (let k = 0; k < cap; k++) {
    cdf += Math.exp(logPmf);
    if (cdf >= level) return k;
    logPmf += poisson ? Math.log(mean) - Math.log(k + 1) : Math.log(k + r) - Math.log(k + 1) + Math.log(1 - p);
  }
  return cap;
}

const fmt = (n: number) => (Math.abs(n) >= 10 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(1) : n.toFixed(2));

/** The units a buffer holds back for a SKU that has `availableUnits` in the channel's locations. */
export function bufferUnits(setting: BufferSetting, availableUnits: number, signal?: DemandSignal): BufferFigure {
  if (setting.kind === "units") return { units: setting.units, explanation: `fixed buffer ${setting.units}` };
  if (setting.kind === "percent") {
    const units = Math.ceil((Math.max(0, availableUnits) * setting.percent) / 100);
    return { units, explanation: `${fmt(setting.percent)} % of ${availableUnits} available = ${units}` };
  }
  const { min, max, serviceLevel, windowHours } = setting;
  if (!signal || signal.lagP95Minutes === null) return { units: max, explanation: `no push lag measured yet for this channel: the maximum, ${max}` };
  const hours = signal.lagP95Minutes / 60;
  const expected = signal.otherChannelsPerHour * hours;
  // Demand over the lag: mean v·L, variance σ²·L (never below the mean: at least Poisson's spread).
  const variance = Math.max(expected, signal.otherChannelsStdPerHour ** 2 * hours);
  const covered = demandQuantile(expected, variance, serviceLevel, max + 1);
  const units = Math.min(max, Math.max(min, covered));
  const bound = covered > max ? ` (held to the maximum ${max})` : covered < min ? ` (raised to the minimum ${min})` : "";
  return {
    units,
    explanation:
      `the other channels sell ${fmt(signal.otherChannelsPerHour)}/h (σ ${fmt(signal.otherChannelsStdPerHour)}/h, last ${windowHours} h); during this channel's p95 lag of ${fmt(signal.lagP95Minutes)} min` +
      ` that is ${fmt(expected)} expected, at most ${covered} in ${fmt(serviceLevel * 100)} % of cases → buffer ${units}${bound}`,
  };
}

export interface ChannelView {
  /** Our location ids the channel sells from; null: every location given. */
  locationIds: string[] | null;
  preorders: boolean;
  /** Units already sold against incoming (the SKU's backorders): pre-orders offer only what is left of it. */
  promisedIncoming?: number;
}

export interface AvailableToSell {
  /** Available in the channel's locations (each location's available, never below zero). */
  available: number;
  /** Incoming in those locations not yet promised to backorders, counted only when the channel sells pre-orders. */
  incoming: number;
  /** The promise of a pre-order: when the earliest of that incoming is expected (UTC ISO); null when none counted. */
  incomingExpectedAt: string | null;
  buffer: BufferFigure;
  ats: number;
  explanation: string;
}

/** ATS for one SKU on one channel, from the SKU's levels at every location. */
export function availableToSell(levels: readonly LevelFigures[], channel: ChannelView, buffer: (availableUnits: number) => BufferFigure): AvailableToSell {
  const mine = channel.locationIds === null ? levels : levels.filter((l) => channel.locationIds!.includes(l.locationId));
  const avail = mine.reduce((sum, l) => sum + Math.max(0, available(l)), 0);
  const incoming = channel.preorders ? Math.max(0, mine.reduce((sum, l) => sum + Math.max(0, l.incoming), 0) - Math.max(0, channel.promisedIncoming ?? 0)) : 0;
  const expectedAt = channel.preorders ? earliestExpected(mine) : null;
  const sellable = avail + incoming;
  const held = buffer(sellable);
  const ats = Math.max(0, sellable - held.units);
  const parts = [`${avail} available in ${mine.length} location${mine.length === 1 ? "" : "s"}`];
  const promised = channel.preorders && channel.promisedIncoming ? `, ${channel.promisedIncoming} of it already promised to backorders` : "";
  if (channel.preorders) parts.push(`+ ${incoming} incoming (pre-orders${expectedAt ? `, expected ${expectedAt.slice(0, 10)}` : ""}${promised})`);
  parts.push(`− buffer ${held.units} (${held.explanation})`);
  return { available: avail, incoming, incomingExpectedAt: expectedAt, buffer: held, ats, explanation: `${parts.join(" ")} = ${ats}` };
}

/** The earliest expected date of the levels that have incoming units. */
function earliestExpected(levels: readonly LevelFigures[]): string | null {
  let earliest: string | null = null;
  for (const l of levels) {
    if (l.incoming <= 0 || !l.incomingExpectedAt) continue;
    if (earliest === null || Date.parse(l.incomingExpectedAt) < Date.parse(earliest)) earliest = l.incomingExpectedAt;
  }
  return earliest;
}

/** Mean and standard deviation of hourly sales from per-hour unit counts (zeros included), for DemandSignal. */
export function hourlyDemand(unitsPerHour: readonly number[]): { perHour: number; stdPerHour: number } {
  if (unitsPerHour.length === 0) return { perHour: 0, stdPerHour: 0 };
  const mean = unitsPerHour.reduce((a, b) => a + b, 0) / unitsPerHour.length;
  const variance = unitsPerHour.reduce((s, x) => s + (x - mean) ** 2, 0) / unitsPerHour.length;
  return { perHour: mean, stdPerHour: Math.sqrt(variance) };
}

/** The p95 of measured lags (nearest rank); null when there are none. */
export function p95(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
}
