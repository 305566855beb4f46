import { takeUnits } from "~/domain/orders/refund-split";
import { parseRmaNumber } from "~/domain/returns/rma-number";
import { dispositionEffect, transition, type ReturnAction, type ReturnFacts } from "~/domain/returns/status";
import { audit } from "../db/audit";
import { database } from "../db/database";
import { lineAllocations, splitAllocation } from "../db/fulfillment-sql";
import { sqlTime } from "../db/ids";
import { readReturnPolicy, recordLineReceipt, releaseLineHold, returnByNumber, returnLines, setReturnStatus, type ReturnLineRow, type ReturnRow } from "../db/returns-sql";
import type { AllocationContext, Reallocation } from "./allocate-order";
import { enqueueReturnMirror } from "./mirror-return-to-shopify";
import { releaseExchange, reserveExchange } from "./return-exchange";
import { settleShippingStatus } from "./fit-allocations";
import { intoReceivingBin, suggestPutaways } from "./bin-arrivals";
import { afterStockArrivals, applyStockArrival, type StockArrival } from "./receive-stock";
import { returnView, type ReturnView } from "./return-view";

// What the merchant and the warehouse do with an RMA: approve, decline, mark in transit, receive (per line a
// quantity and a disposition), release QC-held units, refund (or complete the exchange), close. The status machine
// (app/domain/returns/status.ts) decides; every change is one transaction with its audit row (the timeline);
// stock moves through the inventory path (on hand, ledger, oldest backorders first); effects outside the database
// (Shopify's copy, reallocations, on-hand pushes) follow after commit.

export type ReturnChangeResult = { ok: true; rma: ReturnView } | { ok: false; status: 400 | 404 | 409 | 422; error: string };

interface Applied {
  rma: ReturnRow;
  arrivals: StockArrival[];
  results: { applied: boolean; filled: Reallocation[] }[];
  /** Restocked units that went into a managed location's receiving bin (ADR 0035): their putaways to suggest. */
  putaways: { locationId: string; putawayId: string }[];
  to: string;
}

type Outcome = { ok: true; applied: Applied } | { ok: false; status: 400 | 404 | 409 | 422; error: string };

export async function changeReturn(shopId: string, number: string, action: ReturnAction, opts: { actor?: string; now?: Date } = {}): Promise<ReturnChangeResult> {
  const now = opts.now ?? new Date();
  const actor = opts.actor ?? "admin";
  const rmaNumber = parseRmaNumber(number);
  if (!rmaNumber) return { ok: false, status: 404, error: `No return ${JSON.stringify(number)} in this shop.` };
  const outcome: Outcome = await database().transaction(async (tx) => {
    const rma = await returnByNumber(tx, shopId, rmaNumber);
    if (!rma) return { ok: false, status: 404, error: `No return ${JSON.stringify(rmaNumber)} in this shop.` };
    const lines = await returnLines(tx, shopId, rma.id);
    const decided = transition(factsOf(rma, lines), action);
    if (!decided.ok) return decided;
    const ctx: AllocationContext = { tx, shopId, now, actor };
    const applied: Applied = { rma, arrivals: [], results: [], putaways: [], to: decided.to };
    const extra: Parameters<typeof setReturnStatus>[6] = {};
    if (action.type === "approve" && lines.some((l) => l.replacementVariantId !== null)) {
      extra.exchangeExpiresAt = sqlTime(new Date(now.getTime() + (await readReturnPolicy(tx, shopId)).exchangeHoldDays * 86_400_000));
    }
    if (action.type === "receive") {
      if (!rma.locationId) return { ok: false, status: 409, error: `Return ${rma.number} has no receiving location (it was removed); nothing was received.` };
      await receiveLines(ctx, rma, lines, action.lines, applied);
      extra.exchangeExpiresAt = null; // it arrived: the replacement stays reserved for the exchange
    }
    if (action.type === "release") await releaseLines(ctx, rma, lines, action.lines, applied);
    await suggestPutaways(tx, shopId, applied.putaways, now);
    if (!(await setReturnStatus(tx, shopId, rma.id, rma.status, decided.to, sqlTime(now), extra))) return { ok: false, status: 409, error: `Return ${rma.number} changed meanwhile; nothing was applied. Try again.` };
    await audit(tx, shopId, actor, decided.event, { type: "return", id: rma.id }, { number: rma.number, from: rma.status, to: decided.to, orderId: rma.orderId, ...detail(action) });
    return { ok: true, applied };
  });
  if (!outcome.ok) return outcome;
  const { rma, arrivals, results, to } = outcome.applied;
  await afterStockArrivals(shopId, arrivals, results);
  // An exchange's replacement is reserved when the return is approved and released when it ends without one.
  if (action.type === "approve") await reserveExchange(shopId, rma.number, { now });
  if (to === "declined" || to === "closed") await releaseExchange(shopId, rma.number, to, { now });
  if (["approved", "declined", "refunded", "exchanged"].includes(to)) await enqueueReturnMirror(shopId, rma.number, to);
  const row = (await returnByNumber(database(), shopId, rma.number))!;
  return { ok: true, rma: await returnView(database(), shopId, row) };
}

function factsOf(rma: ReturnRow, lines: ReturnLineRow[]): ReturnFacts {
  return { status: rma.status, lines: lines.map((l) => ({ id: l.id, quantity: l.quantity, held: l.heldQuantity, replacementVariantId: rma.replacementOrderId ? l.replacementVariantId : null })) };
}

function detail(action: ReturnAction): Record<string, unknown> {
  if (action.type === "decline" || action.type === "close") return { reason: action.reason.slice(0, 500) };
  if (action.type === "receive" || action.type === "release") return { lines: action.lines };
  return {};
}

async function receiveLines(ctx: AllocationContext, rma: ReturnRow, lines: ReturnLineRow[], received: Extract<ReturnAction, { type: "receive" }>["lines"], applied: Applied): Promise<void> {
  const { tx, shopId } = ctx;
  const byId = new Map(received.map((r) => [r.returnLineId, r]));
  for (const line of lines) {
    const r = byId.get(line.id);
    const quantity = r?.quantity ?? 0;
    const disposition = r?.disposition ?? "scrap";
    const effect = dispositionEffect(disposition, quantity);
    await recordLineReceipt(tx, shopId, line.id, quantity, disposition, effect.hold, effect.restock);
    if (quantity === 0) continue;
    // The units are back: shipped (fulfilled) becomes returned at the receiving location, as a refund's return does.
    for (const { row, units } of takeUnits(await lineAllocations(tx, shopId, line.orderLineId, ["fulfilled"]), quantity)) await splitAllocation(tx, shopId, row, units, "returned", rma.locationId);
    if (effect.restock > 0 && line.variantId) await restock(ctx, rma, line, effect.restock, `return:${rma.id}:${line.id}:received`, applied);
  }
  await settleShippingStatus(ctx, rma.orderId);
}

async function releaseLines(ctx: AllocationContext, rma: ReturnRow, lines: ReturnLineRow[], released: Extract<ReturnAction, { type: "release" }>["lines"], applied: Applied): Promise<void> {
  const byId = new Map(lines.map((l) => [l.id, l]));
  for (const r of released) {
    const line = byId.get(r.returnLineId)!;
    if (r.quantity === 0) continue;
    const restocked = r.disposition === "restock" ? r.quantity : 0;
    await releaseLineHold(ctx.tx, ctx.shopId, line.id, r.quantity, restocked);
    if (!rma.locationId) continue;
    if (restocked > 0 && line.variantId) await restock(ctx, rma, line, restocked, `return:${rma.id}:${line.id}:released-from:${line.heldQuantity}`, applied);
  }
}

async function restock(ctx: AllocationContext, rma: ReturnRow, line: ReturnLineRow, quantity: number, idempotencyKey: string, applied: Applied): Promise<void> {
  const arrival: StockArrival = { variantId: line.variantId!, locationId: rma.locationId!, quantity, reason: "returned", idempotencyKey, ref: { type: "return", id: rma.number } };
  applied.arrivals.push(arrival);
  const result = await applyStockArrival(ctx, arrival);
  applied.results.push(result);
  // At a location the warehouse module manages, on hand is the sum of its bins: the restocked units land in the
  // receiving bin under the same key (and join the putaway of their SKU), like a purchase order's (ADR 0035).
  if (!result.applied) return;
  const binned = await intoReceivingBin(ctx.tx, ctx.shopId, { locationId: arrival.locationId, variantId: arrival.variantId, quantity, lot: "", expiresAt: null, idempotencyKey, ref: arrival.ref });
  if (binned) applied.putaways.push(binned);
}

