import type { BufferSetting } from "../channels/channel-config";
import { available, type StockBuckets } from "./availability";

// Available to sell (ATS) per channel and SKU: what the channel's locations have available (plus incoming when
// it sells pre-orders), less the channel's buffer, never below zero. Each figure says how it was reached.

export interface LevelFigures extends StockBuckets {
  locationId: string;
  incoming: number;
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

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9): the safety factor for a service level. */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`A probability strictly between 0 and 1 is needed, got ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

const fmt = (n: number) => (Math.abs(n) >= 10 ? n.toFixed(0) : Math.abs(n) >= 1 ? n.toFixed(1) : n.toFixed(2));

/** The units a buffer holds back for a SKU that has `availableUnits` in the channel's locations. */
export function bufferUnits(setting: BufferSetting, availableUnits: number, signal?: DemandSignal): BufferFigure {
  if (setting.kind === "units") return { units: setting.units, explanation: `fixed buffer ${setting.units}` };
  if (setting.kind === "percent") {
    const units = Math.ceil((Math.max(0, availableUnits) * setting.percent) / 100);
    return { units, explanation: `${fmt(setting.percent)} % of ${availableUnits} available = ${units}` };
  }
  const { min, max, serviceLevel } = setting;
  if (!signal || signal.lagP95Minutes === null) return { units: max, explanation: `no push lag measured yet for this channel: the maximum, ${max}` };
  const hours = signal.lagP95Minutes / 60;
  const expected = signal.otherChannelsPerHour * hours;
  const z = normalQuantile(serviceLevel);
  const safety = z * signal.otherChannelsStdPerHour * Math.sqrt(hours);
  const raw = expected + safety;
  const units = Math.min(max, Math.max(min, Math.ceil(raw - 1e-9)));
  const bound = units === max && Math.ceil(raw - 1e-9) > max ? ` (held to the maximum ${max})` : units === min && Math.ceil(raw - 1e-9) < min ? ` (raised to the minimum ${min})` : "";
  return {
    units,
    explanation:
      `velocity ${fmt(signal.otherChannelsPerHour)}/h on the other channels (last ${setting.windowHours} h) × p95 lag ${fmt(signal.lagP95Minutes)} min = ${fmt(expected)}` +
      ` + safety ${fmt(z)} × σ ${fmt(signal.otherChannelsStdPerHour)}/h × √${fmt(hours)} h = ${fmt(safety)} → buffer ${units}${bound}`,
  };
}

export interface ChannelView {
  /** Our location ids the channel sells from; null: every location given. */
  locationIds: string[] | null;
  preorders: boolean;
}

export interface AvailableToSell {
  /** Available in the channel's locations (each location's available, never below zero). */
  available: number;
  /** Incoming in those locations, counted only when the channel sells pre-orders. */
  incoming: number;
  buffer: BufferFigure;
  ats: number;
  explanation: string;
}

/** ATS for one SKU on one channel, from the SKU's levels at every location. */
export function availableToSell(levels: readonly LevelFigures[], channel: ChannelView, buffer: (availableUnits: number) => BufferFigure): AvailableToSell {
  const mine = channel.locationIds === null ? levels : levels.filter((l) => channel.locationIds!.includes(l.locationId));
  const avail = mine.reduce((sum, l) => sum + Math.max(0, available(l)), 0);
  const incoming = channel.preorders ? mine.reduce((sum, l) => sum + Math.max(0, l.incoming), 0) : 0;
  const sellable = avail + incoming;
  const held = buffer(sellable);
  const ats = Math.max(0, sellable - held.units);
  const parts = [`${avail} available in ${mine.length} location${mine.length === 1 ? "" : "s"}`];
  if (channel.preorders) parts.push(`+ ${incoming} incoming (pre-orders)`);
  parts.push(`− buffer ${held.units} (${held.explanation})`);
  return { available: avail, incoming, buffer: held, ats, explanation: `${parts.join(" ")} = ${ats}` };
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
