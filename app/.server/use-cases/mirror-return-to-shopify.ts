import { audit } from "../db/audit";
import { database } from "../db/database";
import { sqlTime } from "../db/ids";
import { returnByNumber, returnLines, returnOrder, setShopifyMirror, type ReturnRow } from "../db/returns-sql";
import { findShopById } from "../db/shops";
import { queue } from "../jobs/queue";
import type { JobDefinition } from "../queues/job-definition";
import { TerminalJobError } from "../queues/queue-port";
import { adminGraphql } from "../shopify/admin-graphql";
import { ORDER_FULFILLMENT_LINE_ITEMS_QUERY, type OrderFulfillmentLineItemsResult } from "../shopify/graphql/order-fulfillment-line-items-query";
import { RETURN_APPROVE_REQUEST_MUTATION, type ReturnApproveRequestResult } from "../shopify/graphql/return-approve-request-mutation";
import { RETURN_CREATE_MUTATION, type ReturnCreateResult } from "../shopify/graphql/return-create-mutation";
import { RETURN_DECLINE_REQUEST_MUTATION, type ReturnDeclineRequestResult } from "../shopify/graphql/return-decline-request-mutation";
import type { ReturnPayload } from "../shopify/graphql/return-fields";
import { RETURN_PROCESS_MUTATION, returnProcessInput, type RefundTransaction, type ReturnProcessResult } from "../shopify/graphql/return-process-mutation";
import { RETURN_REQUEST_MUTATION, type ReturnRequestResult } from "../shopify/graphql/return-request-mutation";
import { RETURN_SUGGESTED_REFUND_QUERY, type ReturnSuggestedRefundResult } from "../shopify/graphql/return-suggested-refund-query";

// Shopify's copy of an RMA on a Shopify order (2026-01 returns processing): a customer's request is returnRequest, a
// merchant's returnCreate; approval returnApproveRequest, a decline returnDeclineRequest; a refunded or exchanged RMA
// returnProcess for the units received — a refunded RMA with the refund Shopify suggests for them as its
// financialTransfer (ADR 0035). Sent from a job after commit, one job per (RMA, status) and each step once:
// the RMA records how far Shopify got (shopifyStep) and the job only does what is still missing.

export const MIRROR_RETURN_JOB = "mirror-return";
const ATTEMPTS = 6;

export interface MirrorReturnData {
  shopId: string;
  number: string;
}

export async function enqueueReturnMirror(shopId: string, number: string, status: string): Promise<void> {
  const rma = await returnByNumber(database(), shopId, number);
  if (!rma || rma.shopifySync === "none") return;
  await queue().enqueue<MirrorReturnData>(MIRROR_RETURN_JOB, { shopId, number }, { jobId: `return-mirror:${rma.id}:${status}`, attempts: ATTEMPTS, backoffMs: 30_000 });
}

type Step = "none" | "requested" | "approved" | "declined" | "processed";
const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;
const tail = (g: string) => g.split("/").pop()!;
const APPROVED_OR_LATER = ["approved", "in_transit", "received", "inspected", "refunded", "exchanged"];

class Refused extends Error {}

/** What Shopify's copy still needs, from how far it got and the RMA's status (null: nothing). */
export function nextShopifyStep(step: Step, status: string): "create" | "decline" | "approve" | "process" | null {
  if (step === "none") return "create";
  if (step === "requested" && status === "declined") return "decline";
  if (step === "requested" && APPROVED_OR_LATER.includes(status)) return "approve";
  if (step === "approved" && (status === "refunded" || status === "exchanged")) return "process";
  return null;
}

const CLAIM_MS = 5 * 60_000;

/**
 * Brings Shopify's copy of the RMA up to date. One job at a time works on an RMA (a claim on its row): a job that
 * finds it claimed leaves it, and the claimant looks again after letting go, so a change made meanwhile is not missed.
 */
export async function mirrorReturnToShopify(shopId: string, number: string, opts: { lastAttempt?: boolean } = {}): Promise<Step | "skipped" | "busy"> {
  const db = database();
  const shop = await findShopById(db, shopId);
  let last: Step | "skipped" | "busy" = "skipped";
  for (let round = 0; round < 5; round++) {
    const rma = await returnByNumber(db, shopId, number);
    if (!rma || !shop || rma.shopifySync === "none") return "skipped";
    const state = await db.get<{ shopifyStep: Step }>(`SELECT "shopifyStep" FROM "ReturnRequest" WHERE "shopId" = ? AND "id" = ?`, shopId, rma.id);
    if (nextShopifyStep(state!.shopifyStep, rma.status) === null) return round === 0 ? state!.shopifyStep : last;
    const now = Date.now();
    const claimed = await db.run(`UPDATE "ReturnRequest" SET "shopifyClaimedAt" = ? WHERE "shopId" = ? AND "id" = ? AND ("shopifyClaimedAt" IS NULL OR "shopifyClaimedAt" < ?)`, sqlTime(new Date(now)), shopId, rma.id, sqlTime(new Date(now - CLAIM_MS)));
    if (claimed.changes !== 1) return "busy";
    try {
      last = await mirrorSteps(shop.domain, shopId, rma, opts);
    } finally {
      await db.run(`UPDATE "ReturnRequest" SET "shopifyClaimedAt" = NULL WHERE "shopId" = ? AND "id" = ?`, shopId, rma.id);
    }
  }
  return last;
}

async function mirrorSteps(shopDomain: string, shopId: string, claimedRow: ReturnRow, opts: { lastAttempt?: boolean }): Promise<Step> {
  const db = database();
  const rma = (await returnByNumber(db, shopId, claimedRow.number))!; // read again under the claim
  let step = (await db.get<{ shopifyStep: Step }>(`SELECT "shopifyStep" FROM "ReturnRequest" WHERE "shopId" = ? AND "id" = ?`, shopId, rma.id))!.shopifyStep;
  try {
    if (step === "none") step = await createInShopify(shopDomain, shopId, rma);
    if (nextShopifyStep(step, rma.status) === "decline") step = await send(shopId, rma, "declined", (await adminGraphql<ReturnDeclineRequestResult>(shopDomain, RETURN_DECLINE_REQUEST_MUTATION, { input: { id: await shopifyId(shopId, rma.id), declineReason: "OTHER", declineNote: (await declineNote(shopId, rma.id)).slice(0, 500), notifyCustomer: false } })).returnDeclineRequest);
    if (nextShopifyStep(step, rma.status) === "approve") step = await send(shopId, rma, "approved", (await adminGraphql<ReturnApproveRequestResult>(shopDomain, RETURN_APPROVE_REQUEST_MUTATION, { input: { id: await shopifyId(shopId, rma.id), notifyCustomer: false } })).returnApproveRequest);
    if (nextShopifyStep(step, rma.status) === "process") step = await processInShopify(shopDomain, shopId, rma);
    await setShopifyMirror(db, shopId, rma.id, { sync: "synced" });
    return step;
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof Refused || error instanceof TerminalJobError || opts.lastAttempt) {
      await setShopifyMirror(db, shopId, rma.id, { sync: "failed", error: message.slice(0, 500) });
      await audit(db, shopId, "job:mirror-return", "return.shopify_failed", { type: "return", id: rma.id }, { number: rma.number, error: message.slice(0, 500) });
      throw error instanceof Refused ? new TerminalJobError(message) : error;
    }
    await setShopifyMirror(db, shopId, rma.id, { sync: "pending", error: message.slice(0, 500) });
    throw error;
  }
}

async function shopifyId(shopId: string, returnId: string): Promise<string> {
  return (await database().get<{ shopifyReturnId: string }>(`SELECT "shopifyReturnId" FROM "ReturnRequest" WHERE "shopId" = ? AND "id" = ?`, shopId, returnId))!.shopifyReturnId;
}

async function declineNote(shopId: string, returnId: string): Promise<string> {
  const row = await database().get<{ data: string }>(`SELECT "data" FROM "AuditEvent" WHERE "shopId" = ? AND "subjectType" = 'return' AND "subjectId" = ? AND "action" = 'return.declined' ORDER BY "createdAt" DESC LIMIT 1`, shopId, returnId);
  return row ? String((JSON.parse(row.data) as { reason?: string }).reason ?? "") : "";
}

/** Records a step Shopify took (or refuses the RMA's mirror with Shopify's userErrors). */
async function send(shopId: string, rma: ReturnRow, next: Step, payload: ReturnPayload | null, extra: Record<string, unknown> = {}): Promise<Step> {
  if (!payload || payload.userErrors.length > 0 || !payload.return) throw new Refused(`Shopify refused the return ${rma.number} (${next}): ${(payload?.userErrors ?? []).map((e) => e.message).join("; ") || "no answer"}`);
  const returnId = payload.return.id;
  const lines = payload.return.returnLineItems.nodes.filter((n) => n.fulfillmentLineItem).map((n) => ({ id: n.id, lineItem: tail(n.fulfillmentLineItem!.lineItem.id), quantity: n.quantity }));
  await database().transaction(async (tx) => {
    await tx.run(`UPDATE "ReturnRequest" SET "shopifyStep" = ?, "shopifyReturnId" = ?, "shopifyLines" = ? WHERE "shopId" = ? AND "id" = ?`, next, returnId, JSON.stringify(lines), shopId, rma.id);
    await audit(tx, shopId, "job:mirror-return", `return.shopify_${next}`, { type: "return", id: rma.id }, { number: rma.number, shopifyReturnId: returnId, shopifyStatus: payload.return!.status, ...extra });
  });
  return next;
}

/** The RMA's lines as Shopify's fulfillment line items of the order (the shipped units), then returnRequest or returnCreate. */
async function createInShopify(shopDomain: string, shopId: string, rma: ReturnRow): Promise<Step> {
  const db = database();
  const order = (await returnOrder(db, shopId, rma.orderId))!;
  const lines = await returnLines(db, shopId, rma.id);
  const orderLines = new Map((await db.all<{ id: string; externalId: string }>(`SELECT "id","externalId" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ?`, shopId, rma.orderId)).map((l) => [l.id, l.externalId]));
  const read = await adminGraphql<OrderFulfillmentLineItemsResult>(shopDomain, ORDER_FULFILLMENT_LINE_ITEMS_QUERY, { id: gid("Order", order.externalId) });
  if (!read.order) throw new Refused(`Shopify has no order ${order.externalId} for return ${rma.number}`);
  const items = read.order.fulfillments.flatMap((f) => f.fulfillmentLineItems.nodes).map((n) => ({ id: n.id, lineItem: tail(n.lineItem.id), left: n.quantity ?? 0 }));
  const wanted: { fulfillmentLineItemId: string; quantity: number; note: string }[] = [];
  for (const line of lines) {
    let left = line.quantity;
    for (const item of items.filter((i) => i.lineItem === orderLines.get(line.orderLineId))) {
      const n = Math.min(left, item.left);
      if (n <= 0) continue;
      wanted.push({ fulfillmentLineItemId: item.id, quantity: n, note: `${line.reason} (${line.condition}) RMA ${rma.number}` });
      item.left -= n;
      left -= n;
    }
    if (left > 0) throw new Refused(`Shopify shows fewer shipped units of ${line.sku ?? line.title} than return ${rma.number} asks for`);
  }
  if (rma.source === "admin") {
    const result = await adminGraphql<ReturnCreateResult>(shopDomain, RETURN_CREATE_MUTATION, { returnInput: { orderId: gid("Order", order.externalId), requestedAt: rma.createdAt, returnLineItems: wanted.map((w) => ({ fulfillmentLineItemId: w.fulfillmentLineItemId, quantity: w.quantity, returnReasonNote: w.note })) } });
    return send(shopId, rma, "approved", result.returnCreate); // a merchant's return is open at once
  }
  const result = await adminGraphql<ReturnRequestResult>(shopDomain, RETURN_REQUEST_MUTATION, { input: { orderId: gid("Order", order.externalId), returnLineItems: wanted.map((w) => ({ fulfillmentLineItemId: w.fulfillmentLineItemId, quantity: w.quantity, customerNote: w.note })) } });
  return send(shopId, rma, "requested", result.returnRequest);
}

/** returnProcess for the units received (Shopify's return line items, matched through their fulfillment line items). */
async function processInShopify(shopDomain: string, shopId: string, rma: ReturnRow): Promise<Step> {
  const db = database();
  const lines = await returnLines(db, shopId, rma.id);
  const orderLines = new Map((await db.all<{ id: string; externalId: string }>(`SELECT "id","externalId" FROM "OrderLine" WHERE "shopId" = ? AND "orderId" = ?`, shopId, rma.orderId)).map((l) => [l.id, l.externalId]));
  const stored = await shopifyId(shopId, rma.id);
  const nodes = JSON.parse((await db.get<{ shopifyLines: string }>(`SELECT "shopifyLines" FROM "ReturnRequest" WHERE "shopId" = ? AND "id" = ?`, shopId, rma.id))!.shopifyLines) as { id: string; lineItem: string; quantity: number }[];
  const processLines: { id: string; quantity: number }[] = [];
  for (const line of lines) {
    let left = line.receivedQuantity;
    for (const node of nodes.filter((n) => n.lineItem === orderLines.get(line.orderLineId))) {
      const n = Math.min(left, node.quantity);
      if (n <= 0) continue;
      processLines.push({ id: node.id, quantity: n });
      node.quantity -= n;
      left -= n;
    }
  }
  if (processLines.length === 0) return "approved";
  // A refunded RMA gives the money back in the same returnProcess; an exchange does not.
  const refund = rma.status === "refunded" ? await suggestedRefund(shopDomain, rma, stored, processLines) : [];
  const result = await adminGraphql<ReturnProcessResult>(shopDomain, RETURN_PROCESS_MUTATION, { input: returnProcessInput({ returnId: stored, lines: processLines, refund, note: `RMA ${rma.number}: ${rma.status}` }) });
  const refunded = refund.length > 0 ? { refund: { amount: totalOf(refund), currencyCode: refund[0].currencyCode } } : { refund: null };
  return send(shopId, rma, "processed", result.returnProcess, refunded);
}

/** The refund Shopify suggests for these return line items: one transaction per suggested parent (none: no money to move). */
async function suggestedRefund(shopDomain: string, rma: ReturnRow, returnId: string, lines: { id: string; quantity: number }[]): Promise<RefundTransaction[]> {
  const read = await adminGraphql<ReturnSuggestedRefundResult>(shopDomain, RETURN_SUGGESTED_REFUND_QUERY, { id: returnId, returnLineItems: lines });
  if (!read.return) throw new Refused(`Shopify has no return ${returnId} for RMA ${rma.number}`);
  const transfer = read.return.suggestedFinancialOutcome?.financialTransfer;
  if (!transfer || transfer.__typename !== "RefundReturnOutcome") return [];
  return transfer.suggestedTransactions
    .filter((t) => t.parentTransaction !== null && Number(t.amountSet.presentmentMoney.amount) > 0)
    .map((t) => ({ parentId: t.parentTransaction!.id, amount: t.amountSet.presentmentMoney.amount, currencyCode: t.amountSet.presentmentMoney.currencyCode }));
}

/** The sum of decimal amounts, in the currency's hundredths (Shopify's amounts carry at most 2 decimals here). */
function totalOf(refund: RefundTransaction[]): string {
  return (refund.reduce((s, t) => s + Math.round(Number(t.amount) * 100), 0) / 100).toFixed(2);
}

export const mirrorReturnJob: JobDefinition<MirrorReturnData> = {
  name: MIRROR_RETURN_JOB,
  concurrency: 2,
  attempts: ATTEMPTS,
  async perform(job) {
    await mirrorReturnToShopify(job.data.shopId, job.data.number, { lastAttempt: job.attempt >= ATTEMPTS });
  },
};
