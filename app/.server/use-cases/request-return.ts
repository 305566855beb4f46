import { createHash } from "node:crypto";
import { checkReturnRequest, lineEligibility } from "~/domain/returns/eligibility";
import { chooseReceivingLocation } from "~/domain/returns/receiving-location";
import { rmaNumber } from "~/domain/returns/rma-number";
import { audit } from "../db/audit";
import { database, RetryableConflict, type Tx } from "../db/database";
import { sqlTime } from "../db/ids";
import { insertReturn, insertReturnLine, readReturnPolicy, receivingLocations, returnByKey, returnByNumber, returnOrder, returnOrderLines, takeRmaSequence } from "../db/returns-sql";
import { shopConfig } from "./shop-config";
import { issueReturnLabel } from "./issue-return-label";
import { enqueueReturnMirror } from "./mirror-return-to-shopify";
import { returnView, type ReturnView } from "./return-view";

export interface RequestReturnInput {
  orderId: string;
  lines: { orderLineId: string; quantity: number; reason: string; condition?: string; replacementSku?: string }[];
  note?: string;
  source: "portal" | "customer_account" | "admin";
}

export type RequestReturnResult = { ok: true; rma: ReturnView; created: boolean } | { ok: false; status: 400 | 404 | 409 | 422; error: string };

/** The natural key of a request: the order and its lines with quantities (order of lines does not matter). */
export function returnRequestKey(orderId: string, lines: { orderLineId: string; quantity: number }[]): string {
  const body = [orderId, ...lines.map((l) => `${l.orderLineId}:${l.quantity}`).sort()].join("\n");
  return createHash("sha256").update(body).digest("hex");
}

/**
 * A customer (portal, customer account) or the merchant asks to return units of an order: checked against the
 * shop's policy (window, exclusions, final sale, what is left to return), numbered from the shop's counter, sent to
 * the best receiving location (routing reversed), with a prepaid label and — for Shopify orders — mirrored to
 * Shopify after commit. The same order and lines again answer the RMA already made; a refusal changes nothing.
 */
export async function requestReturn(shopId: string, input: RequestReturnInput, opts: { now?: Date; actor?: string } = {}): Promise<RequestReturnResult> {
  const now = opts.now ?? new Date();
  if (!Array.isArray(input.lines) || input.lines.length === 0) return { ok: false, status: 400, error: "A return needs at least one line." };
  if (input.lines.length > 250) return { ok: false, status: 400, error: "A return takes at most 250 lines." };
  const requestKey = returnRequestKey(input.orderId, input.lines);
  const result = await database().transaction((tx) => createReturn(tx, shopId, input, requestKey, now, opts.actor ?? input.source));
  if (!result.ok) return result;
  if (result.created) {
    await issueReturnLabel(shopId, result.number).catch(() => undefined); // no carrier now: the label is issued when asked for
    await enqueueReturnMirror(shopId, result.number, "requested");
  }
  const row = await returnByNumber(database(), shopId, result.number);
  return { ok: true, created: result.created, rma: await returnView(database(), shopId, row!) };
}

async function createReturn(tx: Tx, shopId: string, input: RequestReturnInput, requestKey: string, now: Date, actor: string): Promise<{ ok: true; number: string; created: boolean } | { ok: false; status: 400 | 404 | 409 | 422; error: string }> {
  const order = await returnOrder(tx, shopId, input.orderId);
  if (!order) return { ok: false, status: 404, error: `No order ${JSON.stringify(input.orderId)} in this shop.` };
  const existing = await returnByKey(tx, shopId, requestKey);
  if (existing) return { ok: true, number: existing.number, created: false };
  const policy = await readReturnPolicy(tx, shopId);
  const lines = await returnOrderLines(tx, shopId, order.id);
  const facts = { placedAt: order.placedAt, shippedAt: order.shippedAt, cancelled: order.cancelledAt !== null || order.status === "cancelled" };
  const eligibility = lines.map((l) => lineEligibility(policy, facts, { orderLineId: l.id, sku: l.sku, title: l.title, tags: parseTags(l.tags), shipped: l.fulfilled, requested: l.requested }, now));
  const checked = checkReturnRequest(policy, eligibility, input.lines);
  if (!checked.ok) return checked;
  const replacements = new Map<string, string>();
  for (const [i, l] of input.lines.entries()) {
    if (l.replacementSku === undefined) continue;
    const v = await tx.get<{ id: string }>(`SELECT "id" FROM "Variant" WHERE "shopId" = ? AND "sku" = ?`, shopId, l.replacementSku);
    if (!v) return { ok: false, status: 400, error: `Return not requested: Line ${i + 1}: no SKU ${JSON.stringify(l.replacementSku)} to exchange for.` };
    replacements.set(l.orderLineId, v.id);
  }
  const byId = new Map(lines.map((l) => [l.id, l]));
  const config = await shopConfig(tx, shopId);
  const choice = chooseReceivingLocation(
    await receivingLocations(tx, shopId, policy.receivingLocationIds),
    {
      origin: order.shipLatitude !== null && order.shipLongitude !== null ? { latitude: Number(order.shipLatitude), longitude: Number(order.shipLongitude) } : null,
      items: checked.lines.map((l) => ({ sku: byId.get(l.orderLineId)!.sku ?? l.orderLineId, quantity: l.quantity, weightGrams: byId.get(l.orderLineId)!.weightGrams })),
      shippedFromId: checked.lines.map((l) => byId.get(l.orderLineId)!.shippedFromId).find((id) => id !== null) ?? null,
    },
    config.policy.policy.rateTable,
    order.currency,
  );
  if (!choice) return { ok: false, status: 409, error: "No active location receives returns; set one in the return policy." };
  const number = rmaNumber(policy.rmaPrefix, await takeRmaSequence(tx, shopId));
  const at = sqlTime(now);
  const id = await insertReturn(tx, shopId, { orderId: order.id, number, requestKey, source: input.source, note: input.note?.slice(0, 2000) ?? null, locationId: choice.locationId, locationReason: choice.explanation, shopifySync: order.channelKind === "shopify" ? "pending" : "none" }, at);
  if (!id) throw new RetryableConflict(`Return ${requestKey} was requested meanwhile`); // run again: returnByKey finds it
  for (const l of checked.lines) {
    const line = byId.get(l.orderLineId)!;
    await insertReturnLine(tx, shopId, id, { orderLineId: line.id, variantId: line.variantId, sku: line.sku, title: line.title, quantity: l.quantity, reason: l.reason, condition: l.condition, replacementVariantId: replacements.get(line.id) ?? null }, at);
  }
  await audit(tx, shopId, actor, "return.requested", { type: "return", id }, { number, orderId: order.id, source: input.source, units: checked.lines.reduce((s, l) => s + l.quantity, 0), location: choice.locationId, why: choice.explanation });
  return { ok: true, number, created: true };
}

export function parseTags(raw: string): string[] {
  try {
    const tags = JSON.parse(raw) as unknown;
    return Array.isArray(tags) ? tags.filter((t): t is string => typeof t === "string") : [];
  } catch {
    return [];
  }
}
