// draftOrderCreate as Shopify answers it: the input checked (lines, variants, prices, email), problems in
// userErrors with nothing made, else a draft order named #D<n> with its totals. Prices are decimals in the shop's
// currency; a variant line costs its priceOverride, else the variant's price.
import { randomBytes } from "node:crypto";
import { parseGid } from "./ids";
import type { OrderFactory } from "./order-factory";
import type { RestOrderPayload } from "./order-payload";
import type { DraftOrderLineRec, DraftOrderRec, MailingAddressArg, SandboxStore, ShopState } from "./store";

export interface MoneyArg {
  amount: unknown;
  currencyCode: string;
}

export interface DraftOrderLineArg {
  variantId?: string | null;
  title?: string | null;
  sku?: string | null;
  quantity: number;
  originalUnitPriceWithCurrency?: MoneyArg | null;
  priceOverride?: MoneyArg | null;
  requiresShipping?: boolean | null;
  taxable?: boolean | null;
}

export interface DraftOrderArg {
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[] | null;
  customAttributes?: { key: string; value: string }[] | null;
  lineItems?: DraftOrderLineArg[] | null;
  shippingAddress?: MailingAddressArg | null;
}

export interface DraftUserError {
  field: string[] | null;
  message: string;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const AMOUNT = /^\d{1,13}(\.\d{1,2})?$/;

/** "12.5" → 1250n (the sandbox's currencies have two decimals); null when it is not an amount. */
export function amountCents(amount: unknown): bigint | null {
  const text = typeof amount === "number" ? String(amount) : typeof amount === "string" ? amount.trim() : "";
  if (!AMOUNT.test(text)) return null;
  const [whole, fraction = ""] = text.split(".");
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"));
}

export function centsText(cents: bigint): string {
  const digits = cents.toString().padStart(3, "0");
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Makes a draft order, or says what is wrong with the input (nothing made). */
export function createDraftOrder(store: SandboxStore, shop: ShopState, input: DraftOrderArg): { ok: true; value: DraftOrderRec } | { ok: false; errors: DraftUserError[] } {
  const errors: DraftUserError[] = [];
  const lines: DraftOrderLineRec[] = [];
  const items = input.lineItems ?? [];
  if (items.length === 0) errors.push({ field: ["lineItems"], message: "Add at least 1 product" });
  if (input.email && !EMAIL.test(input.email)) errors.push({ field: ["email"], message: "Email is invalid" });

  const price = (money: MoneyArg, field: string[]): bigint | null => {
    const cents = amountCents(money.amount);
    if (cents === null) errors.push({ field: [...field, "amount"], message: "Amount is invalid" });
    if (money.currencyCode !== shop.currencyCode) errors.push({ field: [...field, "currencyCode"], message: `Currency must be ${shop.currencyCode}, the store's currency` });
    return cents;
  };
  items.forEach((item, i) => {
    const at = ["lineItems", String(i)];
    if (!Number.isInteger(item.quantity) || item.quantity < 1) errors.push({ field: [...at, "quantity"], message: "Quantity must be greater than or equal to 1" });
    const override = item.priceOverride ? price(item.priceOverride, [...at, "priceOverride"]) : null;
    if (item.variantId) {
      const parsed = parseGid(item.variantId);
      const variant = parsed && parsed.type === "ProductVariant" ? store.variant(shop, parsed.id) : undefined;
      if (!variant) {
        errors.push({ field: [...at, "variantId"], message: `Product with ID ${item.variantId} is no longer available.` });
        return;
      }
      const product = store.product(shop, variant.productId);
      const title = variant.title === "Default Title" || !product ? (product?.title ?? variant.title) : `${product.title} - ${variant.title}`;
      lines.push({ id: store.newId(), variantId: variant.id, title, sku: variant.sku, quantity: item.quantity, unitCents: override ?? amountCents(variant.price) ?? 0n, custom: false });
      return;
    }
    if (!item.title?.trim()) errors.push({ field: [...at, "title"], message: "Title can't be blank" });
    const original = item.originalUnitPriceWithCurrency ? price(item.originalUnitPriceWithCurrency, [...at, "originalUnitPriceWithCurrency"]) : null;
    if (!item.originalUnitPriceWithCurrency && !item.priceOverride) errors.push({ field: [...at, "originalUnitPriceWithCurrency"], message: "Price can't be blank" });
    lines.push({ id: store.newId(), variantId: null, title: item.title?.trim() ?? "", sku: item.sku ?? null, quantity: item.quantity, unitCents: override ?? original ?? 0n, custom: true });
  });
  if (errors.length > 0) return { ok: false, errors };

  const now = store.nowIso();
  const draft: DraftOrderRec = {
    id: store.newId(),
    name: `#D${shop.nextDraftNumber++}`,
    status: "OPEN",
    email: input.email ?? null,
    note: input.note ?? null,
    currencyCode: shop.currencyCode,
    invoiceUrl: `https://${shop.domain}/${shop.id}/invoices/${randomBytes(16).toString("hex")}`,
    customAttributes: [...(input.customAttributes ?? [])],
    shippingAddress: input.shippingAddress ? { ...input.shippingAddress } : null,
    lineItems: lines,
    createdAt: now,
    updatedAt: now,
  };
  shop.draftOrders.set(draft.id, draft);
  return { ok: true, value: draft };
}

/** The draft's total: Σ quantity × unit price (no tax, shipping or discounts in the sandbox). */
export function draftTotalCents(draft: DraftOrderRec): bigint {
  return draft.lineItems.reduce((sum, l) => sum + BigInt(l.quantity) * l.unitCents, 0n);
}

/**
 * The merchant completes a draft (draftOrderComplete, or "Mark as paid" in the admin): Shopify makes an order of
 * it, copying its custom attributes to the order's `note_attributes`, and the draft is COMPLETED. Returns the
 * order (its orders/create payload). The sandbox's orders are built from SKUs: custom lines without one are left
 * out of the order.
 */
export function completeDraftOrder(store: SandboxStore, shopDomain: string, draftId: bigint, orders: OrderFactory): RestOrderPayload {
  const shop = store.shop(shopDomain);
  const draft = shop.draftOrders.get(draftId);
  if (!draft) throw new Error(`no draft order ${draftId} in ${shopDomain}`);
  if (draft.status === "COMPLETED") throw new Error(`draft order ${draft.name} is completed already`);
  const lines = draft.lineItems.filter((l) => l.sku).map((l) => ({ sku: l.sku!, quantity: l.quantity }));
  const order = orders.create({ lines, noteAttributes: draft.customAttributes.map((a) => ({ name: a.key, value: a.value })) });
  draft.status = "COMPLETED";
  draft.updatedAt = store.nowIso();
  return order;
}
