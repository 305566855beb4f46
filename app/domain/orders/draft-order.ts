import { formatDecimal } from "../shared/money";
import { canTransition, type OrderFacts } from "./status-machine";

// A stored order as a Shopify draft order (Admin GraphQL `draftOrderCreate`, DraftOrderInput), for a merchant who
// takes an order by phone and wants Shopify to invoice it. A line whose variant Shopify knows goes by its variant
// id, at the order's unit price (priceOverride: the draft says what the merchant agreed, even if the catalog price
// has moved since); any other line is a custom line item (title, SKU, price, quantity). The order's id rides along
// as a custom attribute, so the Shopify order the draft becomes can be told apart from a new one.

export interface DraftSourceLine {
  sku: string | null;
  title: string;
  quantity: number;
  priceMinor: number;
  /** The variant's Shopify id (legacy number or gid) when the catalog has it from Shopify; else null. */
  shopifyVariantId: string | null;
}

export interface DraftSource {
  orderId: string;
  name: string;
  currency: string;
  email: string | null;
  customerName: string | null;
  shipTo: { address1: string | null; city: string | null; province: string | null; countryCode: string | null; zip: string | null };
  lines: DraftSourceLine[];
}

interface MoneyInput {
  amount: string;
  currencyCode: string;
}

export interface DraftOrderLineItemInput {
  variantId?: string;
  title?: string;
  sku?: string;
  quantity: number;
  originalUnitPriceWithCurrency?: MoneyInput;
  priceOverride?: MoneyInput;
  requiresShipping?: boolean;
}

export interface MailingAddressInput {
  firstName?: string;
  lastName?: string;
  address1?: string;
  city?: string;
  provinceCode?: string;
  countryCode?: string;
  zip?: string;
}

export interface DraftOrderInput {
  email?: string;
  note: string;
  customAttributes: { key: string; value: string }[];
  lineItems: DraftOrderLineItemInput[];
  shippingAddress?: MailingAddressInput;
}

/** The custom attribute that names our order on the draft (and on the Shopify order it becomes). */
export const DRAFT_ORDER_ATTRIBUTE = "oms_order_id";

const VARIANT_GID = /^gid:\/\/shopify\/ProductVariant\/\d+$/;

/** A variant's Shopify id as a gid, or null when the catalog's id is not one of Shopify's. */
export function shopifyVariantGid(id: string | null): string | null {
  if (id === null) return null;
  if (/^\d+$/.test(id)) return `gid://shopify/ProductVariant/${id}`;
  return VARIANT_GID.test(id) ? id : null;
}

/** "Ada King Lovelace" → first "Ada King", last "Lovelace" (Shopify's address has no single name field). */
function splitName(name: string | null): { firstName?: string; lastName?: string } {
  const words = (name ?? "").trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return {};
  if (words.length === 1) return { lastName: words[0] };
  return { firstName: words.slice(0, -1).join(" "), lastName: words[words.length - 1] };
}

const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== "")) as T;

export function draftOrderInput(order: DraftSource): DraftOrderInput {
  const money = (minor: number): MoneyInput => ({ amount: formatDecimal(minor, order.currency), currencyCode: order.currency });
  const lineItems = order.lines.map((l): DraftOrderLineItemInput => {
    const variantId = shopifyVariantGid(l.shopifyVariantId);
    if (variantId) return { variantId, quantity: l.quantity, priceOverride: money(l.priceMinor) };
    return defined({ title: l.title, sku: l.sku ?? undefined, quantity: l.quantity, originalUnitPriceWithCurrency: money(l.priceMinor), requiresShipping: true });
  });
  const s = order.shipTo;
  // A province goes as Shopify's code (NY, ON); anything longer is a name Shopify's input has no field for.
  const provinceCode = s.province && /^[A-Za-z0-9]{1,3}$/.test(s.province.trim()) ? s.province.trim().toUpperCase() : undefined;
  const address = defined<MailingAddressInput>({
    ...splitName(order.customerName), address1: s.address1 ?? undefined, city: s.city ?? undefined, provinceCode, countryCode: s.countryCode ?? undefined, zip: s.zip ?? undefined,
  });
  return defined({
    email: order.email ?? undefined,
    note: `Order ${order.name}, taken in the order management app.`,
    customAttributes: [{ key: DRAFT_ORDER_ATTRIBUTE, value: order.orderId }],
    lineItems,
    shippingAddress: address.address1 || address.city || address.countryCode ? address : undefined,
  });
}

/** Shopify's userErrors as one sentence: `field: message; …` (field path joined with dots). */
export function userErrorsText(errors: readonly { field?: readonly string[] | null; message: string }[]): string {
  return errors.map((e) => (e.field?.length ? `${e.field.join(".")}: ${e.message}` : e.message)).join("; ");
}

/** Audit actions that record a draft's fate on the order's trail. */
export const DRAFT_CREATED = "order.shopify_draft_created";
export const DRAFT_FAILED = "order.shopify_draft_failed";

export type ShopifyDraftState =
  | { status: "created"; draftOrderId: string; legacyId: string | null; name: string; at: string }
  | { status: "failed"; message: string; at: string }
  | null;

/** The order's Shopify draft as its audit trail (oldest first) tells it: the one made, else the last refusal, else null. */
export function draftStateFrom(events: readonly { action: string; data: string; createdAt: string }[]): ShopifyDraftState {
  const created = events.find((e) => e.action === DRAFT_CREATED);
  if (created) {
    const d = readData(created.data);
    return { status: "created", draftOrderId: String(d.draftOrderId ?? ""), legacyId: typeof d.legacyId === "string" ? d.legacyId : null, name: String(d.name ?? ""), at: created.createdAt };
  }
  const failed = events.filter((e) => e.action === DRAFT_FAILED).at(-1);
  return failed ? { status: "failed", message: String(readData(failed.data).message ?? ""), at: failed.createdAt } : null;
}

function readData(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export type DraftSupersession = { action: "supersede" } | { action: "keep"; reason: string };

/**
 * A Shopify order arrived that was made from the draft of one of our orders (`supersedes`): whether our order
 * gives way to it — cancelled, its stock released for the Shopify order to take — so the sale reserves once.
 * Only a manual order does (the only kind we draft), and only while it may still be cancelled: units shipped
 * from it stay shipped, and the merchant is told instead.
 */
export function draftSupersession(target: { channelKind: string; status: string } | undefined, facts: OrderFacts): DraftSupersession {
  if (!target) return { action: "keep", reason: "no such order in this shop" };
  if (target.channelKind !== "manual") return { action: "keep", reason: `it is a ${target.channelKind} order, not a manual one` };
  if (target.status === "cancelled") return { action: "keep", reason: "it is cancelled already" };
  const verdict = canTransition(target.status, "cancelled", facts);
  return verdict.ok ? { action: "supersede" } : { action: "keep", reason: verdict.reason };
}
