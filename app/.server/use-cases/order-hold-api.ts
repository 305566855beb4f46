import { z } from "zod";
import { HOLD_REASON_MAX } from "~/domain/integrations/fulfillment-hold";
import { database } from "../db/database";
import { getOrder } from "../db/pipeline-sql";
import { AppError } from "../errors";
import { setOrderFulfillmentHold, type ShopifyHoldOutcome } from "./hold-order-fulfillment";
import type { GraphqlFn } from "./apply-routing-to-shopify";

// POST /api/v1/orders/:id/hold and /release (ADR 0038): the order page's and Flow's hold (ADR 0037) for an
// integration. Idempotent: holding a held order (or releasing a released one) answers changed: false and only
// mirrors Shopify again (what a retry after a Shopify failure needs).

const holdBody = z.object({ reason: z.string() }).passthrough();

export interface HoldAnswer {
  changed: boolean;
  order: { id: string; status: string; fulfillmentHold: { at: string; reason: string | null } | null };
  shopify: ShopifyHoldOutcome | null;
}

/** The reason a hold needs: text, trimmed, 1–200 characters; anything else is refused whole. */
export function holdReason(body: unknown): string {
  const parsed = holdBody.safeParse(body);
  const reason = parsed.success ? parsed.data.reason.trim() : "";
  if (!parsed.success || reason === "") throw new AppError("invalid_data", "HOLD.REASON_REQUIRED", "Send { \"reason\": \"…\" }: why the order is held (text, not empty).");
  if (reason.length > HOLD_REASON_MAX) throw new AppError("invalid_data", "HOLD.REASON_TOO_LONG", `The reason is at most ${HOLD_REASON_MAX} characters.`);
  return reason;
}

export async function holdOrReleaseFromApi(
  shopId: string, orderId: string, intent: "hold" | "release", body: unknown, opts: { actor: string; graphql?: GraphqlFn },
): Promise<HoldAnswer> {
  const reason = intent === "hold" ? holdReason(body) : null;
  if (!(await getOrder(database(), shopId, orderId))) throw new AppError("not_found", "ORDER.NOT_FOUND", `No order ${orderId} in this shop`);
  let outcome;
  try {
    outcome = await setOrderFulfillmentHold(shopId, orderId, intent === "hold" ? { hold: true, reason } : { hold: false }, opts);
  } catch (error) {
    throw new AppError("unexpected_state", "HOLD.SHOPIFY_NOT_UPDATED", `Saved here, but Shopify's fulfillment orders were not updated (${(error as Error).message}); send the same request again to retry.`);
  }
  if (outcome.kind === "refused") throw new AppError("conflict", "HOLD.REFUSED", outcome.problem);
  return {
    changed: outcome.kind !== "unchanged",
    order: { id: orderId, status: outcome.status, fulfillmentHold: outcome.heldAt ? { at: outcome.heldAt, reason: outcome.reason } : null },
    shopify: outcome.shopify,
  };
}
