import { z } from "zod";
import { idFromGid } from "../fulfillment/map-shopify-fulfillment";
import { documentLines, lineQuantity } from "../shared/bounded-input";

// Shopify's refunds/create payload → the refund lines our stock cares about. `restock_type` says what
// happened to the units: `cancel` (never shipped: give the reservation back), `return` (shipped and
// came back: stock at the refund's location), `no_restock`, or `legacy_restock` (older API versions,
// also what a bare `restock: true` without restock types means). Parse with parseJsonKeepingBigInts.

export const RESTOCK_TYPES = ["no_restock", "cancel", "return", "legacy_restock"] as const;
export type RestockType = (typeof RESTOCK_TYPES)[number];

export interface ChannelRefundLine {
  refundLineExternalId: string;
  lineExternalId: string;
  quantity: number;
  restockType: RestockType;
  locationExternalId: string | null;
}

export interface ChannelRefund {
  externalId: string;
  orderExternalId: string | null;
  /** UTC ISO: compared with the order's updated_at to know whether an order payload already shows it. */
  createdAt: string;
  lines: ChannelRefundLine[];
}

const id = z.union([z.string().regex(/^\d+$/, "not an id"), z.number().int().nonnegative()]).transform(String);
const isoDate = z.string().refine((v) => !Number.isNaN(Date.parse(v)), "not a date").transform((v) => new Date(v).toISOString());

const payload = z
  .object({
    id,
    admin_graphql_api_id: z.string().nullish(),
    order_id: id.nullish(),
    created_at: isoDate,
    restock: z.boolean().nullish(),
    refund_line_items: documentLines(
      z
        .object({
          id,
          line_item_id: id,
          quantity: lineQuantity(),
          restock_type: z.enum(RESTOCK_TYPES).nullish(),
          location_id: id.nullish(),
          line_item: z.object({ id: id.optional(), admin_graphql_api_id: z.string().nullish() }).passthrough().nullish(),
        })
        .passthrough(),
    ),
  })
  .passthrough();

export type RefundMapResult = { ok: true; refund: ChannelRefund } | { ok: false; error: string };

export function mapShopifyRefund(input: unknown): RefundMapResult {
  const parsed = payload.safeParse(input);
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") };
  const p = parsed.data;
  return {
    ok: true,
    refund: {
      externalId: idFromGid(p.admin_graphql_api_id, "Refund", p.id),
      orderExternalId: p.order_id ?? null,
      createdAt: p.created_at,
      lines: p.refund_line_items
        .filter((rli) => rli.quantity > 0)
        .map((rli) => ({
          refundLineExternalId: rli.id,
          // The nested line item's gid is exact where the bare line_item_id may not be (docs samples).
          lineExternalId: idFromGid(rli.line_item?.admin_graphql_api_id, "LineItem", rli.line_item_id),
          quantity: rli.quantity,
          restockType: rli.restock_type ?? (p.restock ? "legacy_restock" : "no_restock"),
          locationExternalId: rli.location_id ?? null,
        })),
    },
  };
}

/**
 * The refunds inside a REST order payload (`refunds: [...]`, the same shape as refunds/create): the order's
 * current quantities already reflect them. Ones that do not parse are left to their own webhook.
 */
export function embeddedRefunds(orderPayload: unknown): ChannelRefund[] {
  const list = (orderPayload as { refunds?: unknown } | null)?.refunds;
  if (!Array.isArray(list)) return [];
  return list.flatMap((r) => {
    const mapped = mapShopifyRefund(r);
    return mapped.ok && mapped.refund.lines.length > 0 ? [mapped.refund] : [];
  });
}
