import { between, exponential, intBetween, logNormal, stream, type Uniform } from "./prng";

// One simulated shop for the oversell simulation, drawn from a seed: a catalogue whose stock runs out within the
// horizon, receipts that sometimes restock it, three channels selling the same stock with their own push-to-visible
// lags, and each channel's buyers (Poisson per SKU and channel, long-tailed rates, flash-sale bursts). Everything
// here is fixed before any buffer runs, so every buffer is compared over the same demand.

export interface Order {
  /** Hours from the start of the horizon (negative: before it, history only). */
  t: number;
  sku: number;
  channel: number;
  qty: number;
}

export interface Receipt {
  t: number;
  sku: number;
  units: number;
}

export interface Flash {
  channel: number;
  skus: number[];
  from: number;
  to: number;
  multiplier: number;
}

export interface ChannelModel {
  name: string;
  /** Minutes from a stock change to the figure computed then being what this channel's buyers see. */
  sampleLagMinutes: (u: Uniform) => number;
}

export interface Scenario {
  seed: number;
  horizonHours: number;
  skuCount: number;
  channels: ChannelModel[];
  initialStock: number[];
  /** Orders placed before the horizon (sorted): sales history the adaptive buffer may read, no effect on stock. */
  history: Order[];
  /** The buyers within the horizon, sorted by time: each buys if its channel shows at least `qty`. */
  orders: Order[];
  receipts: Receipt[];
  flashes: Flash[];
  /** Push lags each channel measured before the horizon (minutes), as the app keeps its last pushes. */
  priorLagsMinutes: number[][];
}

export interface ScenarioOptions {
  skuCount?: number;
  meanOrdersPerSkuHour?: number;
  stockCover?: [number, number];
  receiptEveryHours?: number;
  horizonHours?: number;
  historyHours?: number;
  /** Replace every channel's lag by zero (sanity check: nothing can oversell). */
  zeroLag?: boolean;
}

/** Shopify: the push itself, seconds, with an occasional throttled retry of up to a minute and a half. */
function shopifyLag(u: Uniform): number {
  const push = logNormal(u, 4, 0.8) + (u() < 0.04 ? between(u, 20, 90) : 0);
  return push / 60;
}
/** Amazon: the same kind of push, then the feed is processed and the figure visible 5–15 min later. */
function amazonLag(u: Uniform): number {
  return logNormal(u, 8, 0.8) / 60 + between(u, 5, 15);
}
/** Wholesale / manual: reps and the B2B portal see the figure minutes late (median 6 min, long tail). */
function wholesaleLag(u: Uniform): number {
  return Math.min(60, logNormal(u, 6, 0.6));
}

export const CHANNELS: ChannelModel[] = [
  { name: "shopify", sampleLagMinutes: shopifyLag },
  { name: "amazon", sampleLagMinutes: amazonLag },
  { name: "wholesale", sampleLagMinutes: wholesaleLag },
];
/** The share of a SKU's orders each channel takes, before each SKU's own jitter. */
const CHANNEL_SHARE = [0.58, 0.34, 0.08];
/** Mean orders per hour per SKU over all channels (the long-tailed rates are scaled to this). */
const MEAN_ORDERS_PER_SKU_HOUR = 2;
/** Starting stock as a share of what the horizon's ordinary demand would take (uniform between the two). */
const STOCK_COVER: [number, number] = [0.1, 0.8];
/** Mean hours between deliveries of a SKU (Poisson). */
const RECEIPT_EVERY_HOURS = 24;
const FLASH_SALES = 8;

function quantity(u: Uniform, channel: number): number {
  if (channel === 2) return Math.min(12, 1 + Math.floor(exponential(u, 1 / 3)));
  const x = u();
  return x < 0.85 ? 1 : x < 0.96 ? 2 : 3;
}
const MEAN_QTY = [0.85 + 0.11 * 2 + 0.04 * 3, 0.85 + 0.11 * 2 + 0.04 * 3, 3.6];

/** Poisson arrivals at `rate` per hour over [from, to). */
function arrivals(u: Uniform, rate: number, from: number, to: number, push: (t: number) => void): void {
  if (rate <= 0) return;
  for (let t = from + exponential(u, rate); t < to; t += exponential(u, rate)) push(t);
}

export function generateScenario(seed: number, options: ScenarioOptions = {}): Scenario {
  const skuCount = options.skuCount ?? 200;
  const horizonHours = options.horizonHours ?? 72;
  const historyHours = options.historyHours ?? 168;
  const channels = options.zeroLag ? CHANNELS.map((c) => ({ name: c.name, sampleLagMinutes: () => 0 })) : CHANNELS;
  const cat = stream(seed, "catalogue");

  // Long-tailed SKU rates (log-normal, σ 1.2: the top few SKUs sell ~20× the median), scaled to the mean.
  const raw = Array.from({ length: skuCount }, () => logNormal(cat, 1, 1.2));
  const scale = ((options.meanOrdersPerSkuHour ?? MEAN_ORDERS_PER_SKU_HOUR) * skuCount) / raw.reduce((a, b) => a + b, 0);
  const rates = raw.map((r) => r * scale);
  const shares = rates.map(() => {
    const s = CHANNEL_SHARE.map((share) => share * between(cat, 0.4, 1.6));
    const total = s.reduce((a, b) => a + b, 0);
    return s.map((x) => x / total);
  });
  // Starting stock: 10–80 % of what the horizon's ordinary demand would take, so most SKUs sell out at least once.
  const expectedUnits = rates.map((r, s) => r * horizonHours * shares[s].reduce((sum, share, c) => sum + share * MEAN_QTY[c], 0));
  const [coverLo, coverHi] = options.stockCover ?? STOCK_COVER;
  const initialStock = expectedUnits.map((e) => Math.max(1, Math.round(e * between(cat, coverLo, coverHi))));
  // Receipts: Poisson deliveries per SKU, each 20–60 % of what the mean gap between deliveries would sell.
  const receipts: Receipt[] = [];
  const every = options.receiptEveryHours ?? RECEIPT_EVERY_HOURS;
  for (let s = 0; s < skuCount; s++) {
    arrivals(cat, 1 / every, 0, horizonHours, (t) => receipts.push({ t, sku: s, units: 1 + Math.round((expectedUnits[s] / horizonHours) * every * between(cat, 0.2, 0.6)) }));
  }
  receipts.sort((a, b) => a.t - b.t);

  // Flash sales: a channel's rate for 1–4 SKUs × 10–30 for an hour (Shopify or Amazon; never wholesale).
  const fl = stream(seed, "flash");
  const flashes: Flash[] = Array.from({ length: FLASH_SALES }, () => {
    const n = intBetween(fl, 1, 4);
    const skus = Array.from({ length: n }, () => intBetween(fl, 0, skuCount - 1));
    const from = between(fl, 2, horizonHours - 2);
    return { channel: fl() < 0.6 ? 0 : 1, skus: [...new Set(skus)], from, to: from + 1, multiplier: between(fl, 10, 30) };
  });

  const dem = stream(seed, "demand");
  const all: Order[] = [];
  for (let s = 0; s < skuCount; s++) {
    for (let c = 0; c < channels.length; c++) {
      const rate = rates[s] * shares[s][c];
      arrivals(dem, rate, -historyHours, horizonHours, (t) => all.push({ t, sku: s, channel: c, qty: quantity(dem, c) }));
    }
  }
  for (const f of flashes) {
    for (const s of f.skus) {
      const extra = rates[s] * shares[s][f.channel] * (f.multiplier - 1);
      arrivals(dem, extra, f.from, f.to, (t) => all.push({ t, sku: s, channel: f.channel, qty: quantity(dem, f.channel) }));
    }
  }
  all.sort((a, b) => a.t - b.t);
  const lagRng = stream(seed, "prior-lags");
  return {
    seed,
    horizonHours,
    skuCount,
    channels,
    initialStock,
    history: all.filter((o) => o.t < 0),
    orders: all.filter((o) => o.t >= 0),
    receipts,
    flashes,
    priorLagsMinutes: channels.map((c) => Array.from({ length: 200 }, () => c.sampleLagMinutes(lagRng))),
  };
}
