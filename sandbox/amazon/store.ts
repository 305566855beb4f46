// The seller's listings in the stand-in: the catalogue (SKUs that exist), their attributes, and a log of
// quantity updates. An update is *accepted* at one time (a Listings patch, a feed's processing end, an order)
// and becomes *buyer-visible* `visibilityDelayMs` later; readers see the latest visible update.

export const DEFAULT_MARKETPLACE_ID = "ATVPDKIKX0DER";

export interface ListingSeed {
  sku: string;
  /** Amazon product type (default "PRODUCT"); patches must name the same one. */
  productType?: string;
  asin?: string;
  itemName?: string;
  /** Initial buyer-visible quantity (merchant-fulfilled, channel DEFAULT); null = no availability set. */
  quantity?: number | null;
  /** Offer price in minor units (default 1999) and its currency (default USD). */
  priceMinor?: number;
  currency?: string;
}

export interface Listing {
  sku: string;
  productType: string;
  asin: string;
  itemName: string;
  priceMinor: number;
  currency: string;
  createdAt: number;
  updatedAt: number;
  /** Attributes other than fulfillment_availability (which is derived from the quantity log). */
  attributes: Record<string, unknown[]>;
}

export type QuantitySource = "seed" | "listings-patch" | "feed" | "order";

export interface QuantityUpdate {
  seq: number;
  sku: string;
  /** null: fulfillment availability deleted. */
  quantity: number | null;
  acceptedAt: number;
  visibleAt: number;
  source: QuantitySource;
  /** submissionId (Listings patch), feedId (feed) or AmazonOrderId (order). */
  ref?: string;
}

export class ListingStore {
  private readonly listings = new Map<string, Listing>();
  private readonly updates = new Map<string, QuantityUpdate[]>();
  private readonly log: QuantityUpdate[] = [];
  private seq = 0;
  private asinCounter = 0;

  constructor(
    readonly now: () => number,
    readonly visibilityDelayMs: number,
  ) {
    if (!(visibilityDelayMs >= 0)) throw new Error(`visibilityDelayMs must be >= 0, got ${visibilityDelayMs}`);
  }

  add(seed: ListingSeed): Listing {
    if (!seed.sku || seed.sku.length > 40) throw new Error(`invalid SKU ${JSON.stringify(seed.sku)} (1-40 characters)`);
    if (this.listings.has(seed.sku)) throw new Error(`SKU ${seed.sku} already in the catalogue`);
    const at = this.now();
    this.asinCounter += 1;
    const listing: Listing = {
      sku: seed.sku,
      productType: seed.productType ?? "PRODUCT",
      asin: seed.asin ?? `B0SBX${String(this.asinCounter).padStart(5, "0")}`,
      itemName: seed.itemName ?? `Sandbox item ${seed.sku}`,
      priceMinor: seed.priceMinor ?? 1999,
      currency: seed.currency ?? "USD",
      createdAt: at,
      updatedAt: at,
      attributes: {},
    };
    this.listings.set(seed.sku, listing);
    const quantity = seed.quantity === undefined ? 0 : seed.quantity;
    if (quantity !== null) assertQuantity(quantity);
    this.record({ sku: seed.sku, quantity, acceptedAt: at, visibleAt: at, source: "seed" });
    return listing;
  }

  get(sku: string): Listing | undefined {
    return this.listings.get(sku);
  }

  has(sku: string): boolean {
    return this.listings.has(sku);
  }

  skus(): string[] {
    return [...this.listings.keys()];
  }

  /** Removes the listing (a feed DELETE message). Its log entries stay. */
  delete(sku: string): boolean {
    this.updates.delete(sku);
    return this.listings.delete(sku);
  }

  touch(sku: string, at = this.now()): void {
    const listing = this.listings.get(sku);
    if (listing) listing.updatedAt = Math.max(listing.updatedAt, at);
  }

  /** A seller's quantity update, accepted at `at` (default now), buyer-visible visibilityDelayMs later. */
  acceptQuantity(sku: string, quantity: number | null, source: Exclude<QuantitySource, "seed" | "order">, ref?: string, at = this.now()): QuantityUpdate {
    if (!this.listings.has(sku)) throw new Error(`unknown SKU ${sku}`);
    if (quantity !== null) assertQuantity(quantity);
    this.touch(sku, at);
    return this.record({ sku, quantity, acceptedAt: at, visibleAt: at + this.visibilityDelayMs, source, ref });
  }

  /** A buyer's purchase: the visible quantity drops at once (a later-visible seller update still overrides it). */
  decrementForOrder(sku: string, units: number, orderId: string, at = this.now()): QuantityUpdate {
    const visible = this.visibleQuantity(sku, at);
    if (visible === null || visible === undefined) throw new Error(`SKU ${sku} has no fulfillment availability`);
    return this.record({ sku, quantity: Math.max(0, visible - units), acceptedAt: at, visibleAt: at, source: "order", ref: orderId });
  }

  /** What buyers see at `at` (default now): the latest update already visible; undefined for an unknown SKU. */
  visibleQuantity(sku: string, at = this.now()): number | null | undefined {
    const list = this.updates.get(sku);
    if (!list) return undefined;
    let best: QuantityUpdate | undefined;
    for (const u of list) if (u.visibleAt <= at && (!best || later(u, best))) best = u;
    return best ? best.quantity : null;
  }

  /** What buyers will see once every accepted update has become visible. */
  acceptedQuantity(sku: string): number | null | undefined {
    const list = this.updates.get(sku);
    if (!list) return undefined;
    return list.reduce((a, b) => (later(b, a) ? b : a)).quantity;
  }

  /** Every quantity update (sku, quantity, acceptedAt, visibleAt, source), oldest first: push-to-visible lag. */
  visibilityLog(sku?: string): QuantityUpdate[] {
    return this.log.filter((u) => !sku || u.sku === sku).map((u) => ({ ...u }));
  }

  private record(u: Omit<QuantityUpdate, "seq">): QuantityUpdate {
    this.seq += 1;
    const update = { seq: this.seq, ...u };
    const list = this.updates.get(u.sku) ?? [];
    list.push(update);
    this.updates.set(u.sku, list);
    this.log.push(update);
    return { ...update };
  }
}

function later(a: QuantityUpdate, b: QuantityUpdate): boolean {
  return a.visibleAt > b.visibleAt || (a.visibleAt === b.visibleAt && a.seq > b.seq);
}

function assertQuantity(q: number): void {
  if (!Number.isInteger(q) || q < 0) throw new Error(`quantity must be a non-negative integer, got ${q}`);
}
