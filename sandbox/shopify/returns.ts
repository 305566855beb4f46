// Shopify's returns, as much as the app uses (2026-01 returns processing): returnRequest (a customer's, REQUESTED),
// returnCreate (a merchant's, OPEN), returnApproveRequest, returnDeclineRequest and returnProcess, with its money:
// Return.suggestedFinancialOutcome suggests the refund of the units (their line price, at most what the order has
// left to refund) against the order's SALE transaction, and returnProcess's financialTransfer.issueRefund records it
// (ADR 0035; the deprecated returnRefund is not offered). Ids are checked:
// an order, its fulfillment line items, a return and its line items must exist and belong together, and no more units
// can be returned or processed than were shipped or asked for; problems come back as ReturnUserErrors with nothing
// changed. Returns live in memory beside the shop's state (not persisted across a stand-in restart).
import type { ConnectionArgs } from "./connection";
import { paginate } from "./connection";
import { gid, idOf } from "./ids";
import type { ShopState } from "./store";
import { fliView, fulfillmentLineItems, orderFulfillments, orderView, type SandboxContext } from "./views";

export type ReturnStatus = "REQUESTED" | "OPEN" | "DECLINED" | "CLOSED" | "CANCELED";

export interface ReturnLineRec {
  id: bigint;
  fulfillmentLineItemId: bigint;
  lineItemId: bigint;
  quantity: number;
  processed: number;
  note: string;
}

/** A refund issued by returnProcess against an order transaction (amount in the order's currency, in cents). */
export interface RefundRec {
  id: bigint;
  parentTransactionId: string;
  amountCents: number;
  currencyCode: string;
}

export interface ReturnRec {
  id: bigint;
  orderId: bigint;
  name: string;
  status: ReturnStatus;
  lines: ReturnLineRec[];
  declineReason: string | null;
  refunds: RefundRec[];
}

interface ReturnUserError {
  field: string[] | null;
  message: string;
  code: string;
}

const returnsByShop = new WeakMap<ShopState, Map<bigint, ReturnRec>>();

export function shopReturns(shop: ShopState): Map<bigint, ReturnRec> {
  let returns = returnsByShop.get(shop);
  if (!returns) returnsByShop.set(shop, (returns = new Map()));
  return returns;
}

export function returnView(ctx: SandboxContext, r: ReturnRec): Record<string, unknown> {
  const order = ctx.shop.orders.get(r.orderId)!;
  const flis = new Map(orderFulfillments(ctx, r.orderId).flatMap((f) => fulfillmentLineItems(ctx, f)).map((i) => [i.id, i]));
  return {
    __typename: "Return", id: gid("Return", r.id), name: r.name, status: r.status, order: () => orderView(ctx, order),
    returnLineItems: (args: ConnectionArgs) => paginate(r.lines, args, (l) => ({ id: l.id, value: String(l.id) }), (l) => ({
      __typename: "ReturnLineItem", id: gid("ReturnLineItem", l.id), quantity: l.quantity, processedQuantity: l.processed,
      fulfillmentLineItem: () => fliView(ctx, flis.get(l.fulfillmentLineItemId)!, order.payload.currency),
    })),
    suggestedFinancialOutcome: (args: { returnLineItems: { id: string; quantity: number }[] }) => suggestedOutcome(ctx, r, args.returnLineItems),
  };
}

const cents = (amount: string) => Math.round(Number(amount) * 100);
const dollars = (value: number) => (value / 100).toFixed(2);
const moneyBag = (amountCents: number, currencyCode: string) => {
  const m = { amount: dollars(amountCents), currencyCode };
  return { shopMoney: m, presentmentMoney: m };
};
/** Orders whose payment was taken (a SALE transaction to refund against). */
const PAID = ["paid", "partially_refunded"];

/** The order's payment: one SALE transaction per paid order in the stand-in (its id names the order). */
function saleTransaction(ctx: SandboxContext, orderId: bigint): Record<string, unknown> | null {
  const order = ctx.shop.orders.get(orderId);
  if (!order || !PAID.includes(order.payload.financial_status)) return null;
  return { __typename: "OrderTransaction", id: gid("OrderTransaction", orderId), kind: "SALE", gateway: "shopify_payments", amountSet: moneyBag(cents(order.payload.total_price), order.payload.currency) };
}

/** What the order can still refund: its total less every refund its returns issued. */
export function refundableCents(ctx: SandboxContext, orderId: bigint): number {
  const order = ctx.shop.orders.get(orderId)!;
  let refunded = 0;
  for (const r of shopReturns(ctx.shop).values()) if (r.orderId === orderId) for (const f of r.refunds) refunded += f.amountCents;
  return cents(order.payload.total_price) - refunded;
}

/** The units' line prices, each line id checked against the return; capped at what the order can still refund. */
function suggestedOutcome(ctx: SandboxContext, r: ReturnRec, lines: { id: string; quantity: number }[]): Record<string, unknown> {
  const order = ctx.shop.orders.get(r.orderId)!;
  let amount = 0;
  for (const l of lines) {
    const lineId = idOf(l.id, "ReturnLineItem");
    const line = r.lines.find((x) => x.id === lineId);
    if (!line) throw new Error(`Return line item ${l.id} does not exist on this return.`);
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > line.quantity) throw new Error(`Quantity of ${l.id} must be between 1 and ${line.quantity}.`);
    const item = order.payload.line_items.find((li) => li.id === line.lineItemId);
    amount += cents(item?.price ?? "0") * l.quantity;
  }
  const sale = saleTransaction(ctx, r.orderId);
  if (!sale) return { financialTransfer: null };
  amount = Math.max(0, Math.min(amount, refundableCents(ctx, r.orderId)));
  return {
    financialTransfer: {
      __typename: "RefundReturnOutcome",
      amount: moneyBag(amount, order.payload.currency),
      suggestedTransactions: amount > 0 ? [{ amountSet: moneyBag(amount, order.payload.currency), gateway: "shopify_payments", kind: "SUGGESTED_REFUND", parentTransaction: sale }] : [],
    },
  };
}

/** A return as the `return(id:)` query answers it (null when there is none in this shop). */
export function findReturnView(ctx: SandboxContext, id: string): Record<string, unknown> | null {
  const returnId = idOf(id, "Return");
  const rec = returnId === null ? undefined : shopReturns(ctx.shop).get(returnId);
  return rec ? returnView(ctx, rec) : null;
}

type Outcome = { ok: true; value: ReturnRec } | { ok: false; errors: ReturnUserError[] };
const refuse = (field: string[] | null, message: string, code: string): Outcome => ({ ok: false, errors: [{ field, message, code }] });

/** returnRequest (REQUESTED) and returnCreate (OPEN): the units must be shipped and not already on a live return. */
export function openReturn(ctx: SandboxContext, orderGid: string, lines: { fulfillmentLineItemId: string; quantity: number; note?: string | null }[], status: "REQUESTED" | "OPEN", inputName: string): Outcome {
  const orderId = idOf(orderGid, "Order");
  const order = orderId === null ? undefined : ctx.shop.orders.get(orderId);
  if (!order || orderId === null) return refuse([inputName, "orderId"], "Order does not exist.", "NOT_FOUND");
  if (lines.length === 0) return refuse([inputName, "returnLineItems"], "Return line items can't be blank.", "BLANK");
  const flis = new Map(orderFulfillments(ctx, orderId).flatMap((f) => fulfillmentLineItems(ctx, f)).map((i) => [i.id, i]));
  const onReturns = new Map<bigint, number>();
  for (const r of shopReturns(ctx.shop).values()) {
    if (r.orderId !== orderId || r.status === "DECLINED" || r.status === "CANCELED") continue;
    for (const l of r.lines) onReturns.set(l.fulfillmentLineItemId, (onReturns.get(l.fulfillmentLineItemId) ?? 0) + l.quantity);
  }
  const taken: ReturnLineRec[] = [];
  for (const [i, l] of lines.entries()) {
    const field = [inputName, "returnLineItems", String(i)];
    const fliId = idOf(l.fulfillmentLineItemId, "FulfillmentLineItem");
    const fli = fliId === null ? undefined : flis.get(fliId);
    if (!fli) return refuse([...field, "fulfillmentLineItemId"], "Fulfillment line item does not exist on this order.", "NOT_FOUND");
    if (!Number.isInteger(l.quantity) || l.quantity < 1) return refuse([...field, "quantity"], "Quantity must be greater than 0.", "GREATER_THAN");
    const left = fli.quantity - (onReturns.get(fli.id) ?? 0);
    if (l.quantity > left) return refuse([...field, "quantity"], `Quantity is greater than the ${left} returnable.`, "INVALID");
    onReturns.set(fli.id, (onReturns.get(fli.id) ?? 0) + l.quantity);
    taken.push({ id: ctx.store.newId(), fulfillmentLineItemId: fli.id, lineItemId: fli.lineItemId, quantity: l.quantity, processed: 0, note: l.note ?? "" });
  }
  const returns = shopReturns(ctx.shop);
  const n = [...returns.values()].filter((r) => r.orderId === orderId).length + 1;
  const rec: ReturnRec = { id: ctx.store.newId(), orderId, name: `${order.payload.name}-R${n}`, status, lines: taken, declineReason: null, refunds: [] };
  returns.set(rec.id, rec);
  return { ok: true, value: rec };
}

function findReturn(ctx: SandboxContext, id: string, field: string[]): ReturnRec | ReturnUserError[] {
  const returnId = idOf(id, "Return");
  const rec = returnId === null ? undefined : shopReturns(ctx.shop).get(returnId);
  return rec ?? [{ field, message: "Return does not exist.", code: "NOT_FOUND" }];
}

export function approveReturn(ctx: SandboxContext, id: string): Outcome {
  const rec = findReturn(ctx, id, ["input", "id"]);
  if (Array.isArray(rec)) return { ok: false, errors: rec };
  if (rec.status !== "REQUESTED") return refuse(["input", "id"], `Return is ${rec.status.toLowerCase()}; only a requested return can be approved.`, "INVALID_STATE");
  rec.status = "OPEN";
  return { ok: true, value: rec };
}

export function declineReturn(ctx: SandboxContext, id: string, reason: string): Outcome {
  const rec = findReturn(ctx, id, ["input", "id"]);
  if (Array.isArray(rec)) return { ok: false, errors: rec };
  if (rec.status !== "REQUESTED") return refuse(["input", "id"], `Return is ${rec.status.toLowerCase()}; only a requested return can be declined.`, "INVALID_STATE");
  rec.status = "DECLINED";
  rec.declineReason = reason;
  return { ok: true, value: rec };
}

export interface IssueRefundArg {
  allowOverRefunding?: boolean | null;
  orderTransactions: { parentId: string; transactionAmount: { amount: string; currencyCode: string } }[];
}

export function processReturn(ctx: SandboxContext, id: string, lines: { id: string; quantity: number }[], issueRefund: IssueRefundArg | null = null): Outcome {
  const rec = findReturn(ctx, id, ["input", "returnId"]);
  if (Array.isArray(rec)) return { ok: false, errors: rec };
  if (rec.status !== "OPEN") return refuse(["input", "returnId"], `Return is ${rec.status.toLowerCase()}; only an open return can be processed.`, "INVALID_STATE");
  const plan: { line: ReturnLineRec; quantity: number }[] = [];
  for (const [i, l] of lines.entries()) {
    const lineId = idOf(l.id, "ReturnLineItem");
    const line = rec.lines.find((x) => x.id === lineId);
    if (!line) return refuse(["input", "returnLineItems", String(i), "id"], "Return line item does not exist on this return.", "NOT_FOUND");
    if (!Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > line.quantity - line.processed) return refuse(["input", "returnLineItems", String(i), "quantity"], `Quantity must be between 1 and the ${line.quantity - line.processed} still to process.`, "INVALID");
    plan.push({ line, quantity: l.quantity });
  }
  const refunds: RefundRec[] = [];
  if (issueRefund) {
    const order = ctx.shop.orders.get(rec.orderId)!;
    const sale = saleTransaction(ctx, rec.orderId);
    if (issueRefund.orderTransactions.length === 0) return refuse(["input", "financialTransfer", "issueRefund", "orderTransactions"], "Order transactions can't be blank.", "BLANK");
    for (const [i, t] of issueRefund.orderTransactions.entries()) {
      const field = ["input", "financialTransfer", "issueRefund", "orderTransactions", String(i)];
      if (!sale || t.parentId !== sale.id) return refuse([...field, "parentId"], "Parent transaction does not exist on this order, or is not a capture or sale.", "NOT_FOUND");
      if (t.transactionAmount.currencyCode !== order.payload.currency) return refuse([...field, "transactionAmount", "currencyCode"], `Currency must be the order's presentment currency ${order.payload.currency}.`, "INVALID");
      const amount = Number(t.transactionAmount.amount);
      if (!Number.isFinite(amount) || amount <= 0) return refuse([...field, "transactionAmount", "amount"], "Amount must be greater than 0.", "GREATER_THAN");
      refunds.push({ id: ctx.store.newId(), parentTransactionId: t.parentId, amountCents: cents(t.transactionAmount.amount), currencyCode: t.transactionAmount.currencyCode });
    }
    const total = refunds.reduce((s, f) => s + f.amountCents, 0);
    if (!issueRefund.allowOverRefunding && total > refundableCents(ctx, rec.orderId)) return refuse(["input", "financialTransfer", "issueRefund"], `Refund of ${dollars(total)} is more than the ${dollars(refundableCents(ctx, rec.orderId))} left to refund.`, "INVALID");
  }
  for (const p of plan) p.line.processed += p.quantity;
  rec.refunds.push(...refunds);
  if (rec.lines.every((l) => l.processed === l.quantity)) rec.status = "CLOSED";
  return { ok: true, value: rec };
}

type LineArg = { fulfillmentLineItemId: string; quantity: number; customerNote?: string | null; returnReasonNote?: string | null };
const payload = (ctx: SandboxContext, r: Outcome) => (r.ok ? { return: returnView(ctx, r.value), userErrors: [] } : { return: null, userErrors: r.errors });

/** The mutation fields (spread into mutation-root.ts). */
export const returnMutations = {
  returnRequest: (args: { input: { orderId: string; returnLineItems: LineArg[] } }, ctx: SandboxContext) =>
    payload(ctx, openReturn(ctx, args.input.orderId, args.input.returnLineItems.map((l) => ({ ...l, note: l.customerNote })), "REQUESTED", "input")),
  returnCreate: (args: { returnInput: { orderId: string; returnLineItems: LineArg[] } }, ctx: SandboxContext) =>
    payload(ctx, openReturn(ctx, args.returnInput.orderId, args.returnInput.returnLineItems.map((l) => ({ ...l, note: l.returnReasonNote })), "OPEN", "returnInput")),
  returnApproveRequest: (args: { input: { id: string } }, ctx: SandboxContext) => payload(ctx, approveReturn(ctx, args.input.id)),
  returnDeclineRequest: (args: { input: { id: string; declineReason: string } }, ctx: SandboxContext) => payload(ctx, declineReturn(ctx, args.input.id, args.input.declineReason)),
  returnProcess: (args: { input: { returnId: string; returnLineItems?: { id: string; quantity: number }[] | null; financialTransfer?: { issueRefund?: IssueRefundArg | null } | null } }, ctx: SandboxContext) =>
    payload(ctx, processReturn(ctx, args.input.returnId, args.input.returnLineItems ?? [], args.input.financialTransfer?.issueRefund ?? null)),
};
