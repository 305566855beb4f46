// Shopify's returns, as much as the app uses (2026-01 returns processing): returnRequest (a customer's, REQUESTED),
// returnCreate (a merchant's, OPEN), returnApproveRequest, returnDeclineRequest and returnProcess. Ids are checked:
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

export interface ReturnRec {
  id: bigint;
  orderId: bigint;
  name: string;
  status: ReturnStatus;
  lines: ReturnLineRec[];
  declineReason: string | null;
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
  };
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
  const rec: ReturnRec = { id: ctx.store.newId(), orderId, name: `${order.payload.name}-R${n}`, status, lines: taken, declineReason: null };
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

export function processReturn(ctx: SandboxContext, id: string, lines: { id: string; quantity: number }[]): Outcome {
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
  for (const p of plan) p.line.processed += p.quantity;
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
  returnProcess: (args: { input: { returnId: string; returnLineItems?: { id: string; quantity: number }[] | null } }, ctx: SandboxContext) =>
    payload(ctx, processReturn(ctx, args.input.returnId, args.input.returnLineItems ?? [])),
};
