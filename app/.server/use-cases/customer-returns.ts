import { lineEligibility } from "~/domain/returns/eligibility";
import type { ReturnStatus } from "~/domain/returns/status";
import { database } from "../db/database";
import { readReturnPolicy, returnOrder, returnOrderLines, returnsOfOrder } from "../db/returns-sql";
import { parseTags } from "./request-return";

// What a customer may return from their own order (ADR 0036), for the portal's and the customer account's "Start a
// return": every line with how many units can still come back under the shop's policy (or why none), the reasons the
// policy lists, and the RMAs the order already has. The caller has proved the order is the customer's.

export interface ReturnableLine {
  orderLineId: string;
  /** The channel's line id (Shopify: the LineItem's legacy id). */
  externalId: string;
  title: string;
  sku: string | null;
  returnable: number;
  /** Why nothing can be returned, in the customer's words; null when something can. */
  message: string | null;
}

export interface CustomerReturnOptions {
  reasons: string[];
  lines: ReturnableLine[];
  returns: { number: string; status: ReturnStatus; createdAt: string; hasLabel: boolean }[];
}

export async function customerReturnOptions(shopId: string, orderId: string, now = new Date()): Promise<CustomerReturnOptions | null> {
  const db = database();
  const order = await returnOrder(db, shopId, orderId);
  if (!order) return null;
  const [policy, lines, rmas] = await Promise.all([readReturnPolicy(db, shopId), returnOrderLines(db, shopId, orderId), returnsOfOrder(db, shopId, orderId)]);
  const facts = { placedAt: order.placedAt, shippedAt: order.shippedAt, cancelled: order.cancelledAt !== null || order.status === "cancelled" };
  return {
    reasons: policy.reasons,
    lines: lines.map((l) => {
      const e = lineEligibility(policy, facts, { orderLineId: l.id, sku: l.sku, title: l.title, tags: parseTags(l.tags), shipped: l.fulfilled, requested: l.requested }, now);
      return { orderLineId: l.id, externalId: l.externalId, title: l.title, sku: l.sku, returnable: e.returnable, message: e.message };
    }),
    returns: rmas.map((r) => ({ number: r.number, status: r.status, createdAt: r.createdAt, hasLabel: r.labelTracking !== null })),
  };
}

/** "wrong_size" → "Wrong size": how a policy's reason code reads to a customer. */
export const reasonLabel = (reason: string) => {
  const words = reason.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};
