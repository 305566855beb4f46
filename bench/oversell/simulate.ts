import type { BufferSetting } from "../../app/domain/channels/channel-config";
import { availableToSell, bufferUnits, hourlyDemand, p95, type DemandSignal } from "../../app/domain/inventory/available-to-sell";
import { stream } from "./prng";
import type { Scenario } from "./scenario";

// Discrete-event oversell simulation (pure: a scenario and a buffer policy in, counts out).
//
// One true stock per SKU; every channel shows buyers the figure it last received. Each stock change (a sale, a
// receipt; an oversold order too, since the order reaches us and we re-push) computes every channel's ATS with the
// app's own availableToSell/bufferUnits and schedules its arrival on that channel after a lag drawn from the
// channel's lag distribution. A push computed later supersedes one computed earlier even if it lands first
// (coalescing by sequence). Like Shopify and Amazon, a channel takes its own sales off the figure it shows at once;
// a figure arriving later is applied net of the channel's own sales since it was computed (what the app's
// compare-and-set on-hand writes amount to). So what a channel cannot know during its lag is exactly what the
// adaptive rule estimates: the other channels' sales (and receipts).
//
// A buyer buys only if the channel shows ≥ the quantity; the order then reserves against the true stock, and if
// that has less than the quantity the order is oversold (cancelled later: it takes no stock).
//
// The adaptive buffer's DemandSignal is what the simulation has observed so far: the other channels' accepted
// orders in the trailing `windowHours` hourly buckets ending now (empty hours included, as the app's
// otherChannelsDemand), and the channel's p95 of its last LAG_SAMPLE measured push-to-visible lags.

/** Measured pushes the lag p95 is taken over (the app's LAG_SAMPLE). */
export const LAG_SAMPLE = 200;
/** How often (simulated hours) a channel's lag p95 is re-read (the app reads it per request; over its last 200 pushes it moves slowly, and sorting 200 lags at every push would dominate the run). */
const LAG_P95_REFRESH_HOURS = 10 / 60;

export interface Policy {
  name: string;
  /** The buffer each channel applies (index = channel). */
  buffers: BufferSetting[];
  /** Trailing window of the other channels' sales the adaptive buffer's velocity is measured over. */
  windowHours: number;
  /**
   * Channels whose push lag is measured (default: all). An unmeasured channel's signal has lagP95Minutes null, and
   * the rule then holds its maximum: what the app does today for every channel but Shopify (read-channel-stock.ts).
   */
  lagMeasured?: boolean[];
}

export interface ChannelCounts {
  orders: number;
  oversoldOrders: number;
  oversoldUnits: number;
  demandedUnits: number;
  hiddenUnits: number;
}

export interface SimResult {
  /** Buyers who arrived (each wanting `qty`). */
  buyers: number;
  demandedUnits: number;
  /** Orders placed: the channel showed enough. */
  orders: number;
  oversoldOrders: number;
  /** Units short on oversold orders (quantity − true available). */
  oversoldUnits: number;
  /** Units sold from stock that was there. */
  fulfilledUnits: number;
  /** Units of buyers turned away because the channel showed too little. */
  turnedAwayUnits: number;
  /**
   * Units of buyers turned away because the buffer hid stock that was there: the channel's figure was below the
   * quantity, the same figure without the buffer was not, and the true stock had the quantity.
   */
  hiddenUnits: number;
  /** Oversold orders on a SKU while any channel ran a flash sale on it. */
  oversoldInFlash: number;
  /** Times a SKU's true stock ran down to zero. */
  sellouts: number;
  /** Units in stock over all SKUs at the end, and the lowest any SKU ever had (never below zero if reservations hold). */
  endStock: number;
  lowestStock: number;
  perChannel: ChannelCounts[];
  pushes: number;
}

/** Per SKU, the accepted orders so far with running totals (overall and per channel) for the trailing buckets. */
class SalesLog {
  times: number[] = [];
  total: number[] = [];
  byChannel: number[][];
  constructor(channels: number) {
    this.byChannel = Array.from({ length: channels }, () => []);
  }
  add(t: number, channel: number, qty: number): void {
    const n = this.times.length;
    this.times.push(t);
    this.total.push((n ? this.total[n - 1] : 0) + qty);
    for (let c = 0; c < this.byChannel.length; c++) this.byChannel[c].push((n ? this.byChannel[c][n - 1] : 0) + (c === channel ? qty : 0));
  }
  /** Index of the last sale at or before t (−1: none). */
  private indexAt(t: number): number {
    let lo = 0;
    let hi = this.times.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid] <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
  /** Units the channels other than `channel` sold in each of the `hours` hours ending at `now` (bucket k: (now−k−1, now−k]). */
  othersHourly(channel: number, now: number, hours: number): number[] {
    const out = new Array<number>(hours);
    let i = this.indexAt(now);
    let upper = i < 0 ? 0 : this.total[i] - this.byChannel[channel][i];
    for (let k = 0; k < hours; k++) {
      i = this.indexAt(now - k - 1);
      const lower = i < 0 ? 0 : this.total[i] - this.byChannel[channel][i];
      out[k] = upper - lower;
      upper = lower;
    }
    return out;
  }
}

/** Push events (a figure on its way to a channel), in a binary min-heap on arrival time. */
interface Push {
  at: number;
  seq: number;
  channel: number;
  sku: number;
  computedAt: number;
  ats: number;
  unbuffered: number;
  ownSoldThen: number;
}
class PushHeap {
  private items: Push[] = [];
  get size(): number {
    return this.items.length;
  }
  peekAt(): number {
    return this.items.length ? this.items[0].at : Infinity;
  }
  push(p: Push): void {
    const a = this.items;
    a.push(p);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (earlier(a[parent], a[i])) break;
      [a[parent], a[i]] = [a[i], a[parent]];
      i = parent;
    }
  }
  pop(): Push {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && earlier(a[l], a[m])) m = l;
        if (r < a.length && earlier(a[r], a[m])) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i], a[m]];
        i = m;
      }
    }
    return top;
  }
}
const earlier = (x: Push, y: Push) => x.at < y.at || (x.at === y.at && x.seq < y.seq);

export function simulate(scenario: Scenario, policy: Policy): SimResult {
  const S = scenario.skuCount;
  const C = scenario.channels.length;
  if (policy.buffers.length !== C) throw new Error(`policy ${policy.name}: ${policy.buffers.length} buffers for ${C} channels`);
  const lagRng = stream(scenario.seed, "push-lags");
  const onHand = scenario.initialStock.slice();
  const visible = new Float64Array(C * S);
  const visibleUnbuffered = new Float64Array(C * S);
  const ownSold = new Float64Array(C * S);
  const appliedSeq = new Float64Array(C * S).fill(-1);
  const logs = Array.from({ length: S }, () => new SalesLog(C));
  for (const o of scenario.history) logs[o.sku].add(o.t, o.channel, o.qty);
  // Each channel's last LAG_SAMPLE measured lags (a ring), seeded with what it measured before the horizon.
  const lagRing = scenario.priorLagsMinutes.map((lags) => lags.slice(-LAG_SAMPLE));
  const lagNext = lagRing.map(() => 0);
  const lagP95 = lagRing.map((r) => p95(r));
  const lagReadAt = lagRing.map(() => 0);
  const flashBySku = new Map<number, { from: number; to: number }[]>();
  for (const f of scenario.flashes) for (const s of f.skus) flashBySku.set(s, [...(flashBySku.get(s) ?? []), { from: f.from, to: f.to }]);

  const counts = (): ChannelCounts => ({ orders: 0, oversoldOrders: 0, oversoldUnits: 0, demandedUnits: 0, hiddenUnits: 0 });
  const result: SimResult = { buyers: 0, demandedUnits: 0, orders: 0, oversoldOrders: 0, oversoldUnits: 0, fulfilledUnits: 0, turnedAwayUnits: 0, hiddenUnits: 0, oversoldInFlash: 0, sellouts: 0, endStock: 0, lowestStock: Infinity, perChannel: scenario.channels.map(counts), pushes: 0 };
  const heap = new PushHeap();
  let seq = 0;

  const signalFor = (channel: number, sku: number, now: number): DemandSignal => {
    if (now - lagReadAt[channel] >= LAG_P95_REFRESH_HOURS) {
      lagP95[channel] = p95(lagRing[channel]);
      lagReadAt[channel] = now;
    }
    // The velocity window is the adaptive setting's own (the app's windowHours), as read-channel-stock.ts reads it.
    const setting = policy.buffers[channel];
    const window = setting.kind === "adaptive" ? setting.windowHours : policy.windowHours;
    const { perHour, stdPerHour } = hourlyDemand(logs[sku].othersHourly(channel, now, window));
    return { otherChannelsPerHour: perHour, otherChannelsStdPerHour: stdPerHour, lagP95Minutes: policy.lagMeasured?.[channel] === false ? null : lagP95[channel] };
  };
  const figure = (channel: number, sku: number, now: number) => {
    const setting = policy.buffers[channel];
    const signal = setting.kind === "adaptive" ? signalFor(channel, sku, now) : undefined;
    const level = [{ locationId: "L", onHand: onHand[sku], reserved: 0, safety: 0, incoming: 0 }];
    return availableToSell(level, { locationIds: null, preorders: false }, (units) => bufferUnits(setting, units, signal));
  };
  const apply = (p: Push) => {
    const k = p.channel * S + p.sku;
    if (p.seq < appliedSeq[k]) return; // a figure computed later already arrived: this one is superseded
    appliedSeq[k] = p.seq;
    const ownSince = ownSold[k] - p.ownSoldThen;
    visible[k] = Math.max(0, p.ats - ownSince);
    visibleUnbuffered[k] = Math.max(0, p.unbuffered - ownSince);
  };
  const stockChanged = (sku: number, now: number) => {
    for (let c = 0; c < C; c++) {
      const f = figure(c, sku, now);
      const lagMinutes = scenario.channels[c].sampleLagMinutes(lagRng);
      const p: Push = { at: now + lagMinutes / 60, seq: seq++, channel: c, sku, computedAt: now, ats: f.ats, unbuffered: f.available, ownSoldThen: ownSold[c * S + sku] };
      result.pushes++;
      if (lagMinutes <= 0) arrive(p);
      else heap.push(p);
    }
  };
  const arrive = (p: Push) => {
    const ring = lagRing[p.channel];
    const lag = (p.at - p.computedAt) * 60;
    if (ring.length < LAG_SAMPLE) ring.push(lag);
    else {
      ring[lagNext[p.channel]] = lag;
      lagNext[p.channel] = (lagNext[p.channel] + 1) % LAG_SAMPLE;
    }
    apply(p);
  };

  // At the start every channel shows the current figure.
  for (let s = 0; s < S; s++) {
    for (let c = 0; c < C; c++) {
      const f = figure(c, s, 0);
      visible[c * S + s] = f.ats;
      visibleUnbuffered[c * S + s] = f.available;
    }
  }

  const { orders, receipts } = scenario;
  let i = 0;
  let j = 0;
  while (i < orders.length || j < receipts.length) {
    const tOrder = i < orders.length ? orders[i].t : Infinity;
    const tReceipt = j < receipts.length ? receipts[j].t : Infinity;
    const tPush = heap.peekAt();
    if (tPush <= tOrder && tPush <= tReceipt) {
      arrive(heap.pop());
      continue;
    }
    if (tReceipt <= tOrder) {
      const r = receipts[j++];
      onHand[r.sku] += r.units;
      stockChanged(r.sku, r.t);
      continue;
    }
    const o = orders[i++];
    const k = o.channel * S + o.sku;
    const ch = result.perChannel[o.channel];
    result.buyers++;
    result.demandedUnits += o.qty;
    ch.demandedUnits += o.qty;
    if (visible[k] < o.qty) {
      result.turnedAwayUnits += o.qty;
      if (visibleUnbuffered[k] >= o.qty && onHand[o.sku] >= o.qty) {
        result.hiddenUnits += o.qty;
        ch.hiddenUnits += o.qty;
      }
      continue;
    }
    visible[k] -= o.qty;
    visibleUnbuffered[k] = Math.max(0, visibleUnbuffered[k] - o.qty);
    ownSold[k] += o.qty;
    result.orders++;
    ch.orders++;
    logs[o.sku].add(o.t, o.channel, o.qty);
    if (onHand[o.sku] >= o.qty) {
      onHand[o.sku] -= o.qty;
      result.fulfilledUnits += o.qty;
      if (onHand[o.sku] === 0) result.sellouts++;
      result.lowestStock = Math.min(result.lowestStock, onHand[o.sku]);
    } else {
      const short = o.qty - Math.max(0, onHand[o.sku]);
      result.oversoldOrders++;
      result.oversoldUnits += short;
      ch.oversoldOrders++;
      ch.oversoldUnits += short;
      if ((flashBySku.get(o.sku) ?? []).some((w) => o.t >= w.from && o.t < w.to)) result.oversoldInFlash++;
    }
    stockChanged(o.sku, o.t);
  }
  result.endStock = onHand.reduce((a, b) => a + b, 0);
  return result;
}

/** Oversold orders ÷ orders placed. */
export const oversellRate = (r: SimResult) => (r.orders ? r.oversoldOrders / r.orders : 0);
/** Sales a buffer cost: units sold from stock over the horizon without a buffer minus with it, in % of the units demanded (same demand). */
export const lostSalesPct = (withBuffer: SimResult, noBuffer: SimResult) => (100 * (noBuffer.fulfilledUnits - withBuffer.fulfilledUnits)) / noBuffer.demandedUnits;
/** Buyer-units turned away while the stock was there and the figure without the buffer would have let them buy, in % of the units demanded. */
export const hiddenPct = (r: SimResult) => (r.demandedUnits ? (100 * r.hiddenUnits) / r.demandedUnits : 0);
