import { z } from "zod";
import { documentLines, lineQuantity } from "../shared/bounded-input";

// Shopify's fulfillment webhook payload (fulfillments/create, fulfillments/update) → what our stock needs:
// which order, which line items and how many units, from which location, and whether the fulfillment
// still stands. Parse the raw body with parseJsonKeepingBigInts first: ids may be 64-bit. Ids are taken
// from the gids when they are gids (the bare numbers of Shopify's docs samples lost precision).

export const FULFILLMENT_STATUSES = ["pending", "open", "success", "cancelled", "error", "failure"] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

export interface ChannelFulfillmentLine {
  /** The order's line item id (legacy numeric). */
  lineExternalId: string;
  quantity: number;
  sku: string | null;
}

export interface ChannelFulfillment {
  externalId: string;
  /** May be missing or imprecise in samples: the lines identify the order too. */
  orderExternalId: string | null;
  status: FulfillmentStatus;
  /** False for cancelled / error / failure: what such a fulfillment consumed goes back. */
  standing: boolean;
  locationExternalId: string | null;
  lines: ChannelFulfillmentLine[];
  /** The carrier and tracking the channel gave, when it gave any (shown to the customer in the portal). */
  tracking?: FulfillmentTracking | null;
  /** When the channel made it (UTC ISO), when it says. */
  createdAt?: string | null;
}

export interface FulfillmentTracking {
  company: string | null;
  numbers: string[];
  urls: string[];
}

const id = z.union([z.string().regex(/^\d+$/, "not an id"), z.number().int().nonnegative()]).transform(String);
const gidOrOther = z.string().nullish();

const payload = z
  .object({
    id,
    admin_graphql_api_id: gidOrOther,
    order_id: id.nullish(),
    status: z.enum(FULFILLMENT_STATUSES),
    location_id: id.nullish(),
    created_at: z.string().nullish(),
    tracking_company: z.string().max(200).nullish(),
    tracking_number: z.string().max(200).nullish(),
    tracking_numbers: z.array(z.string().max(200)).max(50).nullish(),
    tracking_url: z.string().max(2000).nullish(),
    tracking_urls: z.array(z.string().max(2000)).max(50).nullish(),
    line_items: documentLines(
      z.object({ id, admin_graphql_api_id: gidOrOther, quantity: lineQuantity(), sku: z.string().nullish() }).passthrough(),
    ),
  })
  .passthrough();

export type ShopifyFulfillmentPayload = z.input<typeof payload>;

export type FulfillmentMapResult = { ok: true; fulfillment: ChannelFulfillment } | { ok: false; error: string };

/** "gid://shopify/LineItem/123" → "123" when the gid names that type; otherwise the fallback id. */
export function idFromGid(gid: string | null | undefined, type: string, fallback: string): string {
  const match = gid ? new RegExp(`^gid://shopify/${type}/(\\d+)$`).exec(gid) : null;
  return match ? match[1] : fallback;
}

export function mapShopifyFulfillment(input: unknown): FulfillmentMapResult {
  const parsed = payload.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") };
  const p = parsed.data;
  const merged = new Map<string, ChannelFulfillmentLine>();
  for (const li of p.line_items) {
    const lineExternalId = idFromGid(li.admin_graphql_api_id, "LineItem", li.id);
    const line = merged.get(lineExternalId) ?? { lineExternalId, quantity: 0, sku: li.sku ?? null };
    line.quantity += li.quantity;
    merged.set(lineExternalId, line);
  }
  return {
    ok: true,
    fulfillment: {
      externalId: idFromGid(p.admin_graphql_api_id, "Fulfillment", p.id),
      orderExternalId: p.order_id ?? null,
      status: p.status,
      standing: !["cancelled", "error", "failure"].includes(p.status),
      locationExternalId: p.location_id ?? null,
      lines: [...merged.values()].filter((l) => l.quantity > 0),
      tracking: trackingOf(p),
      createdAt: p.created_at && !Number.isNaN(Date.parse(p.created_at)) ? new Date(p.created_at).toISOString() : null,
    },
  };
}

/** The payload's carrier and tracking (the plural fields, else the singular ones); null when it names none. Only http(s) links are kept. */
function trackingOf(p: { tracking_company?: string | null; tracking_number?: string | null; tracking_numbers?: string[] | null; tracking_url?: string | null; tracking_urls?: string[] | null }): FulfillmentTracking | null {
  const numbers = [...new Set((p.tracking_numbers?.length ? p.tracking_numbers : p.tracking_number ? [p.tracking_number] : []).map((n) => n.trim()).filter(Boolean))];
  const urls = [...new Set((p.tracking_urls?.length ? p.tracking_urls : p.tracking_url ? [p.tracking_url] : []).map((u) => u.trim()).filter((u) => /^https?:\/\//i.test(u)))];
  const company = p.tracking_company?.trim() || null;
  return company || numbers.length || urls.length ? { company, numbers, urls } : null;
}
