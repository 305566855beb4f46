// In-memory Shopify state, one ShopState per shop domain. Plain records with BigInt ids;
// GraphQL resolvers, the order factory and the control API all read and write through here.
import { randomBytes } from "node:crypto";
import type { SandboxAddressSeed, SandboxShopSeed } from "./demo-catalog";
import { idCounter, idOf } from "./ids";
import type { RestOrderPayload } from "./order-payload";

export const QUANTITY_NAMES = ["available", "on_hand", "committed", "incoming", "safety_stock"] as const;
export type QuantityName = (typeof QUANTITY_NAMES)[number];

export interface LocationRec {
  id: bigint;
  name: string;
  isActive: boolean;
  address: SandboxAddressSeed;
  timezone: string;
  carrierCutoff: string;
  dailyCapacity: number;
}
export interface ProductRec { id: bigint; title: string; handle: string; vendor: string; productType: string }
export interface VariantRec {
  id: bigint;
  productId: bigint;
  inventoryItemId: bigint;
  sku: string;
  title: string;
  price: string;
  weightGrams: number;
}
/** Named quantities of one item at one location; on_hand = available + committed + safety_stock here. */
export interface LevelRec { inventoryItemId: bigint; locationId: bigint; quantities: Record<QuantityName, number>; updatedAt: string }
export interface StoredOrder { id: bigint; payload: RestOrderPayload; createdAt: string; updatedAt: string }

export type FulfillmentOrderStatus = "OPEN" | "IN_PROGRESS" | "ON_HOLD" | "CLOSED" | "CANCELLED" | "INCOMPLETE" | "SCHEDULED";
export interface FulfillmentOrderLineRec {
  id: bigint;
  lineItemId: bigint;
  variantId: bigint | null;
  inventoryItemId: bigint | null;
  sku: string | null;
  totalQuantity: number;
  remainingQuantity: number;
}
export interface FulfillmentHoldRec { id: bigint; reason: string; reasonNotes: string | null; handle: string | null }
export interface FulfillmentOrderRec {
  id: bigint;
  orderId: bigint;
  locationId: bigint;
  status: FulfillmentOrderStatus;
  holds: FulfillmentHoldRec[];
  lineItems: FulfillmentOrderLineRec[];
  createdAt: string;
  updatedAt: string;
}

/** A shipment of fulfillment order lines from the FO's location (fulfillments/create, fulfillments/update). */
export interface FulfillmentRec {
  id: bigint;
  orderId: bigint;
  fulfillmentOrderId: bigint;
  locationId: bigint;
  status: "success" | "cancelled";
  /** `foId`: the line's fulfillment order when it is not `fulfillmentOrderId` (fulfillmentCreate over several FOs). */
  lines: { lineItemId: bigint; foLineId: bigint; inventoryItemId: bigint | null; quantity: number; foId?: bigint }[];
  /** Carrier and tracking given at creation (fulfillmentCreate's trackingInfo). */
  tracking?: { company: string | null; number: string | null; url: string | null }[];
  createdAt: string;
  updatedAt: string;
}

/** A draft order's address as draftOrderCreate took it (MailingAddressInput). */
export interface MailingAddressArg {
  firstName?: string | null;
  lastName?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  company?: string | null;
  provinceCode?: string | null;
  countryCode?: string | null;
  zip?: string | null;
  phone?: string | null;
}

export interface DraftOrderLineRec {
  id: bigint;
  variantId: bigint | null;
  title: string;
  sku: string | null;
  quantity: number;
  /** Unit price in minor units of the draft's currency. */
  unitCents: bigint;
  custom: boolean;
}

export interface DraftOrderRec {
  id: bigint;
  name: string;
  status: "OPEN" | "INVOICE_SENT" | "COMPLETED";
  email: string | null;
  note: string | null;
  currencyCode: string;
  invoiceUrl: string;
  customAttributes: { key: string; value: string }[];
  shippingAddress: MailingAddressArg | null;
  lineItems: DraftOrderLineRec[];
  createdAt: string;
  updatedAt: string;
}

export interface AccessTokenRec {
  token: string;
  shop: string;
  kind: "offline" | "online";
  scope: string;
  expiresAt: number | null; // epoch ms
  refreshToken: string | null;
  refreshExpiresAt: number | null;
  userId: number | null;
}

export interface ShopState {
  id: bigint;
  domain: string;
  name: string;
  email: string;
  currencyCode: string;
  ianaTimezone: string;
  locations: LocationRec[];
  products: ProductRec[];
  variants: VariantRec[];
  levels: Map<string, LevelRec>;
  orders: Map<bigint, StoredOrder>;
  fulfillmentOrders: Map<bigint, FulfillmentOrderRec>;
  fulfillments: Map<bigint, FulfillmentRec>;
  nextOrderNumber: number;
  /** Draft orders (draftOrderCreate), named #D1, #D2, … */
  draftOrders: Map<bigint, DraftOrderRec>;
  nextDraftNumber: number;
  /** Mutations sent with @idempotent(key:), by mutation and key: their arguments (stable JSON) and first result. */
  idempotency: Map<string, { args: string; result: unknown }>;
}

const levelKey = (itemId: bigint, locationId: bigint) => `${itemId}:${locationId}`;

export class SandboxStore {
  readonly shops = new Map<string, ShopState>();
  readonly tokens = new Map<string, AccessTokenRec>();
  /** flowTriggerReceive calls, in order (flow.ts runs the stored workflows each one starts). */
  readonly flowTriggers: FlowTriggerRec[] = [];
  onFlowTrigger: ((trigger: FlowTriggerRec) => void) | null = null;
  readonly newId: () => bigint;
  private readonly clock: () => Date;

  /** `newId`: an id source that outlives the process (persistence.ts), so a restarted stand-in never reuses ids. */
  constructor(opts: { now?: () => Date; idStart?: bigint; newId?: () => bigint } = {}) {
    this.clock = opts.now ?? (() => new Date());
    this.newId = opts.newId ?? idCounter(opts.idStart);
  }

  now(): Date {
    return this.clock();
  }
  nowIso(): string {
    return this.clock().toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** Adds (or replaces) a shop from plain seed data. */
  addShop(seed: SandboxShopSeed): ShopState {
    const need = (value: string, type: string) => {
      const id = idOf(value, type);
      if (id === null) throw new Error(`seed for ${seed.domain}: bad ${type} id ${value}`);
      return id;
    };
    const shop: ShopState = {
      id: need(seed.id, "Shop"), domain: seed.domain, name: seed.name, email: seed.email,
      currencyCode: seed.currencyCode, ianaTimezone: seed.ianaTimezone,
      locations: seed.locations.map((l) => ({
        id: need(l.id, "Location"), name: l.name, isActive: l.isActive, address: { ...l.address },
        timezone: l.timezone, carrierCutoff: l.carrierCutoff, dailyCapacity: l.dailyCapacity,
      })),
      products: [], variants: [], levels: new Map(), orders: new Map(), fulfillmentOrders: new Map(), fulfillments: new Map(),
      nextOrderNumber: 1001, draftOrders: new Map(), nextDraftNumber: 1, idempotency: new Map(),
    };
    for (const p of seed.products) {
      const productId = need(p.id, "Product");
      shop.products.push({ id: productId, title: p.title, handle: p.handle, vendor: p.vendor, productType: p.productType });
      for (const v of p.variants) {
        const variant: VariantRec = {
          id: need(v.id, "ProductVariant"), productId, inventoryItemId: need(v.inventoryItemId, "InventoryItem"),
          sku: v.sku, title: v.title, price: v.price, weightGrams: v.weightGrams,
        };
        shop.variants.push(variant);
        for (const [locationGid, available] of Object.entries(v.stock)) {
          this.stock(shop, variant.inventoryItemId, need(locationGid, "Location"), available);
        }
      }
    }
    this.shops.set(seed.domain, shop);
    return shop;
  }

  findShop(domain: string): ShopState | undefined {
    return this.shops.get(domain);
  }
  shop(domain: string): ShopState {
    const shop = this.shops.get(domain);
    if (!shop) throw new Error(`sandbox has no shop ${domain}`);
    return shop;
  }

  // --- catalog and inventory -------------------------------------------------------------
  location(shop: ShopState, id: bigint): LocationRec | undefined {
    return shop.locations.find((l) => l.id === id);
  }
  variant(shop: ShopState, id: bigint): VariantRec | undefined {
    return shop.variants.find((v) => v.id === id);
  }
  variantBySku(shop: ShopState, sku: string): VariantRec | undefined {
    return shop.variants.find((v) => v.sku === sku);
  }
  variantByItem(shop: ShopState, inventoryItemId: bigint): VariantRec | undefined {
    return shop.variants.find((v) => v.inventoryItemId === inventoryItemId);
  }
  product(shop: ShopState, id: bigint): ProductRec | undefined {
    return shop.products.find((p) => p.id === id);
  }
  /** The level when the item is stocked at the location, else undefined. */
  level(shop: ShopState, itemId: bigint, locationId: bigint): LevelRec | undefined {
    return shop.levels.get(levelKey(itemId, locationId));
  }
  levelsOfItem(shop: ShopState, itemId: bigint): LevelRec[] {
    return [...shop.levels.values()].filter((l) => l.inventoryItemId === itemId);
  }
  /** Starts stocking an item at a location (or resets it) with this many available units. */
  stock(shop: ShopState, itemId: bigint, locationId: bigint, available: number): LevelRec {
    const level: LevelRec = {
      inventoryItemId: itemId, locationId, updatedAt: this.nowIso(),
      quantities: { available, on_hand: available, committed: 0, incoming: 0, safety_stock: 0 },
    };
    shop.levels.set(levelKey(itemId, locationId), level);
    return level;
  }
  /** Moves units between available and committed (positive = commit for an order). */
  commit(shop: ShopState, itemId: bigint | null, locationId: bigint, quantity: number): void {
    const level = itemId === null ? undefined : this.level(shop, itemId, locationId);
    if (!level) return;
    level.quantities.available -= quantity;
    level.quantities.committed += quantity;
    level.updatedAt = this.nowIso();
  }

  /** Changes physical stock (positive: received or restocked; negative: shipped, damaged, lost). */
  adjustOnHand(shop: ShopState, itemId: bigint | null, locationId: bigint, delta: number, opts: { committed?: number } = {}): void {
    const level = itemId === null ? undefined : this.level(shop, itemId, locationId);
    if (!level) return;
    const committed = opts.committed ?? 0; // units of that change that were committed to orders
    level.quantities.on_hand += delta;
    level.quantities.committed += committed;
    level.quantities.available += delta - committed;
    level.updatedAt = this.nowIso();
  }

  // --- orders -----------------------------------------------------------------------------
  /** Stores an order and opens one fulfillment order at the first active location holding all lines. */
  insertOrder(shop: ShopState, payload: RestOrderPayload): StoredOrder {
    const createdAt = toUtcIso(payload.created_at);
    const order: StoredOrder = { id: payload.id, payload, createdAt, updatedAt: toUtcIso(payload.updated_at) };
    shop.orders.set(order.id, order);
    const location = shop.locations.find((l) => l.isActive);
    if (location) {
      const fo: FulfillmentOrderRec = {
        id: this.newId(), orderId: order.id, locationId: location.id, status: "OPEN", holds: [],
        createdAt, updatedAt: createdAt,
        lineItems: payload.line_items.map((li) => {
          const variant = li.variant_id === null ? undefined : this.variant(shop, li.variant_id);
          return {
            id: this.newId(), lineItemId: li.id, variantId: li.variant_id, sku: li.sku,
            inventoryItemId: variant?.inventoryItemId ?? null, totalQuantity: li.quantity, remainingQuantity: li.quantity,
          };
        }),
      };
      shop.fulfillmentOrders.set(fo.id, fo);
      for (const line of fo.lineItems) this.commit(shop, line.inventoryItemId, fo.locationId, line.remainingQuantity);
    }
    return order;
  }
  fulfillmentOrdersOf(shop: ShopState, orderId: bigint): FulfillmentOrderRec[] {
    return [...shop.fulfillmentOrders.values()].filter((fo) => fo.orderId === orderId);
  }

  // --- access tokens ----------------------------------------------------------------------
  issueToken(shop: string, opts: { kind?: "offline" | "online"; scope?: string; expiresInSec?: number | null; refreshInSec?: number | null; userId?: number | null } = {}): AccessTokenRec {
    const kind = opts.kind ?? "offline";
    const nowMs = this.now().getTime();
    const rec: AccessTokenRec = {
      token: `${kind === "online" ? "shpua" : "shpat"}_${randomBytes(16).toString("hex")}`,
      shop, kind, scope: opts.scope ?? "",
      expiresAt: opts.expiresInSec ? nowMs + opts.expiresInSec * 1000 : null,
      refreshToken: opts.refreshInSec ? `shprt_${randomBytes(16).toString("hex")}` : null,
      refreshExpiresAt: opts.refreshInSec ? nowMs + opts.refreshInSec * 1000 : null,
      userId: opts.userId ?? null,
    };
    this.tokens.set(rec.token, rec);
    return rec;
  }
  /** The token record when it was issued to this shop and has not expired. */
  validToken(shop: string, token: string | null | undefined): AccessTokenRec | undefined {
    const rec = token ? this.tokens.get(token) : undefined;
    if (!rec || rec.shop !== shop) return undefined;
    if (rec.expiresAt !== null && rec.expiresAt <= this.now().getTime()) return undefined;
    return rec;
  }
  revokeToken(token: string): void {
    this.tokens.delete(token);
  }
}

/** "2026-01-05T10:00:00-05:00" → "2026-01-05T15:00:00Z" (GraphQL DateTime form). */
export function toUtcIso(value: string): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A flowTriggerReceive call the stand-in received (flow.ts runs the stored workflows each one starts). */
export interface FlowTriggerRec {
  shop: string;
  handle: string;
  payload: Record<string, unknown>;
  receivedAt: string;
}
