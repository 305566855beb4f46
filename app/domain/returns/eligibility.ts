import type { ReturnPolicy } from "./policy";

// Which units of an order may come back, line by line, and whether a request for some of them is acceptable.
// Returnable = shipped − already returned − already asked for on an open RMA; the window counts from the
// order's latest shipment (else the order date).

export interface EligibilityOrder {
  placedAt: string;
  /** The latest shipment/fulfillment of the order (UTC ISO), null when none was recorded. */
  shippedAt: string | null;
  cancelled: boolean;
}

export interface EligibilityLine {
  orderLineId: string;
  sku: string | null;
  title: string;
  tags: string[];
  /** Units shipped and not returned (fulfilled allocations). */
  shipped: number;
  /** Units on RMAs not received, declined or closed yet. */
  requested: number;
}

export type IneligibleReason = "order_cancelled" | "not_shipped" | "window_closed" | "excluded_sku" | "excluded_tag" | "final_sale" | "nothing_left";

export interface LineEligibility {
  orderLineId: string;
  returnable: number;
  reason: IneligibleReason | null;
  message: string | null;
}

const DAY_MS = 86_400_000;

/** The last moment a return may be requested (UTC ISO). */
export function windowEndsAt(policy: ReturnPolicy, order: EligibilityOrder): string {
  const from = Date.parse(order.shippedAt ?? order.placedAt);
  return new Date(from + policy.windowDays * DAY_MS).toISOString();
}

export function lineEligibility(policy: ReturnPolicy, order: EligibilityOrder, line: EligibilityLine, now: Date): LineEligibility {
  const refuse = (reason: IneligibleReason, message: string): LineEligibility => ({ orderLineId: line.orderLineId, returnable: 0, reason, message });
  const name = line.sku ?? line.title;
  if (order.cancelled) return refuse("order_cancelled", "The order was cancelled; there is nothing to return.");
  if (line.shipped <= 0) return refuse("not_shipped", `${name} has not shipped yet, so it cannot be returned.`);
  const ends = windowEndsAt(policy, order);
  if (now.getTime() > Date.parse(ends)) return refuse("window_closed", `The ${policy.windowDays}-day return window for ${name} closed on ${ends.slice(0, 10)}.`);
  if (line.sku !== null && policy.excludedSkus.includes(line.sku)) return refuse("excluded_sku", `${name} cannot be returned (excluded from returns).`);
  if (policy.finalSaleTag !== null && line.tags.includes(policy.finalSaleTag)) return refuse("final_sale", `${name} was a final sale and cannot be returned.`);
  const tag = line.tags.find((t) => policy.excludedTags.includes(t));
  if (tag !== undefined) return refuse("excluded_tag", `${name} cannot be returned (products tagged "${tag}" are excluded).`);
  const returnable = line.shipped - line.requested;
  if (returnable <= 0) return refuse("nothing_left", `Every shipped unit of ${name} is already returned or on a return.`);
  return { orderLineId: line.orderLineId, returnable, reason: null, message: null };
}

export interface RequestedLine {
  orderLineId: string;
  quantity: number;
  reason: string;
  condition?: string;
}

export type RequestCheck =
  | { ok: true; lines: (RequestedLine & { condition: string })[] }
  | { ok: false; status: 400 | 422; error: string };

/**
 * A customer's or merchant's request against the order's eligibility: 400 for what no order could accept
 * (unknown line, a line twice, a quantity that is not a positive whole number, a reason or condition the
 * policy does not list), 422 for what this order refuses (window, final sale, excluded, more than returnable).
 * Every problem is listed.
 */
export function checkReturnRequest(policy: ReturnPolicy, eligibility: LineEligibility[], lines: RequestedLine[]): RequestCheck {
  if (lines.length === 0) return { ok: false, status: 400, error: "A return needs at least one line." };
  const byLine = new Map(eligibility.map((e) => [e.orderLineId, e]));
  const bad: string[] = [];
  const refused: string[] = [];
  const seen = new Set<string>();
  for (const [i, l] of lines.entries()) {
    const at = `Line ${i + 1}`;
    const e = byLine.get(l.orderLineId);
    if (!e) bad.push(`${at}: ${JSON.stringify(l.orderLineId)} is not a line of this order`);
    if (seen.has(l.orderLineId)) bad.push(`${at}: the order line is listed twice`);
    seen.add(l.orderLineId);
    if (!Number.isInteger(l.quantity) || l.quantity <= 0) bad.push(`${at}: quantity must be a positive whole number`);
    if (!policy.reasons.includes(l.reason)) bad.push(`${at}: reason ${JSON.stringify(l.reason)} is not one of ${policy.reasons.join(", ")}`);
    if (l.condition !== undefined && !policy.conditions.includes(l.condition)) bad.push(`${at}: condition ${JSON.stringify(l.condition)} is not one of ${policy.conditions.join(", ")}`);
    if (!e || !Number.isInteger(l.quantity) || l.quantity <= 0) continue;
    if (e.reason !== null) refused.push(`${at}: ${e.message}`);
    else if (l.quantity > e.returnable) refused.push(`${at}: asks to return ${l.quantity} but only ${e.returnable} can be returned`);
  }
  if (bad.length > 0) return { ok: false, status: 400, error: `Return not requested: ${bad.join("; ")}.` };
  if (refused.length > 0) return { ok: false, status: 422, error: `Return not requested: ${refused.join("; ")}` };
  return { ok: true, lines: lines.map((l) => ({ ...l, condition: l.condition ?? policy.conditions[0] })) };
}
