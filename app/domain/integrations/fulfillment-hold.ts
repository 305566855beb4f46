// An order held from fulfillment (ADR 0037): the merchant (or a Flow action) stops an order from going to the
// warehouse until released — fraud check, address to confirm, a customer's call. Decided without I/O.
//
// The pick code's rule: an order on hold is never released into a pick wave (`releasableToPick`); in SQL the same
// condition is `NOT_ON_FULFILLMENT_HOLD_SQL` (app/.server/db/fulfillment-hold-sql.ts). Stock stays reserved while
// it is held (the hold is about shipping, not about giving the units to someone else).

/** Statuses an order can be held or released in: not yet (fully) shipped, not cancelled. */
const HOLDABLE = new Set(["received", "reserved", "routed", "backordered", "picking", "packed", "partially_shipped"]);

export interface HoldState {
  status: string;
  fulfillmentHoldAt: string | null;
}

export const isOnFulfillmentHold = (order: Pick<HoldState, "fulfillmentHoldAt">): boolean => order.fulfillmentHoldAt !== null;

/** Whether the pick code may put this order in a pick wave: routed (ready to pick) and not on hold. */
export const releasableToPick = (order: HoldState): boolean => order.status === "routed" && !isOnFulfillmentHold(order);

export type HoldDecision = { ok: true; change: "hold" | "release" | "none" } | { ok: false; problem: string };

/** What holding (or releasing) this order does: a change, nothing (already so: a retry), or a refusal. */
export function decideFulfillmentHold(order: HoldState, want: "hold" | "release"): HoldDecision {
  const held = isOnFulfillmentHold(order);
  if (want === "hold" ? held : !held) return { ok: true, change: "none" };
  if (want === "hold" && !HOLDABLE.has(order.status)) return { ok: false, problem: `The order is ${order.status}: only an order not yet shipped or cancelled can be held` };
  return { ok: true, change: want };
}

/** Shopify's hold the app places for it (fulfillmentOrderHold), told apart from the routing's backorder hold by its handle. */
export const MERCHANT_HOLD_HANDLE = "open-oms-fulfillment-hold";
export const MERCHANT_HOLD_REASON = "OTHER";

/** The note Shopify shows on the hold (at most 256 characters). */
export const merchantHoldNotes = (reason: string | null) => `Held in Open OMS${reason ? `: ${reason}` : ""}`.slice(0, 256);

/** The longest hold reason kept (order page, REST API, Flow action). */
export const HOLD_REASON_MAX = 200;
