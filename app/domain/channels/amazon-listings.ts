// What the app sends Amazon for a seller-fulfilled quantity, and what Amazon's answers mean (ADR 0011). Pure:
// the bodies of a Listings Items PATCH and of a JSON_LISTINGS_FEED, the choice between them, and the reading of
// a patch response and a feed processing report into one outcome per SKU.

/** The seller-fulfilled (MFN) channel; AMAZON_* channels are FBA quantities, which are Amazon's. */
export const SELLER_FULFILLMENT_CHANNEL = "DEFAULT";

/**
 * Up to this many SKUs go as one Listings Items PATCH each (5 per second, burst 5: a handful of SKUs is visible in
 * about a second); more go as one JSON_LISTINGS_FEED (one call for thousands of SKUs, but minutes to process and
 * createFeed allows a burst of 15, then one every two minutes).
 */
export const PATCH_LIMIT = 10;
/** Amazon takes at most 10,000 messages in a JSON_LISTINGS_FEED. */
export const FEED_MESSAGE_LIMIT = 10_000;

export interface QuantityUpdate {
  sku: string;
  productType: string;
  quantity: number;
}

export function pushMode(due: number): "patch" | "feed" {
  return due <= PATCH_LIMIT ? "patch" : "feed";
}

function quantityPatches(quantity: number) {
  if (!Number.isInteger(quantity) || quantity < 0) throw new RangeError(`quantity must be a whole number ≥ 0, got ${quantity}`);
  return [{ op: "replace" as const, path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: SELLER_FULFILLMENT_CHANNEL, quantity }] }];
}

/** The body of PATCH /listings/2021-08-01/items/{sellerId}/{sku}: the seller-fulfilled quantity, nothing else. */
export function listingsPatchBody(update: QuantityUpdate) {
  return { productType: update.productType, patches: quantityPatches(update.quantity) };
}

/** A JSON_LISTINGS_FEED document: one PATCH message per SKU, numbered from 1. */
export function listingsFeedDocument(sellerId: string, updates: QuantityUpdate[]) {
  if (updates.length === 0) throw new RangeError("a feed needs at least one message");
  if (updates.length > FEED_MESSAGE_LIMIT) throw new RangeError(`a feed takes at most ${FEED_MESSAGE_LIMIT} messages, got ${updates.length}`);
  return {
    header: { sellerId, version: "2.0", issueLocale: "en_US" },
    messages: updates.map((u, i) => ({ messageId: i + 1, sku: u.sku, operationType: "PATCH" as const, productType: u.productType, patches: quantityPatches(u.quantity) })),
  };
}

export interface AmazonIssue {
  code?: string;
  message?: string;
  severity?: string;
  messageId?: number;
  attributeName?: string;
  attributeNames?: string[];
}

export type SkuOutcome = { ok: true } | { ok: false; error: string };

function describe(issues: AmazonIssue[]): string {
  return issues.map((i) => `${i.code ?? "ERROR"}: ${i.message ?? "no message"}${i.attributeName ? ` (${i.attributeName})` : ""}`).join("; ");
}

const isError = (i: AmazonIssue) => i.severity === "ERROR";

/** A Listings Items PATCH answer: ACCEPTED is the figure taken; INVALID carries the reasons. */
export function patchOutcome(response: { status?: string; issues?: AmazonIssue[] }): SkuOutcome {
  const errors = (response.issues ?? []).filter(isError);
  if (response.status === "ACCEPTED" && errors.length === 0) return { ok: true };
  return { ok: false, error: errors.length > 0 ? describe(errors) : `listing submission ${response.status ?? "without a status"}` };
}

export interface ProcessingReport {
  issues?: AmazonIssue[];
  summary?: { messagesProcessed?: number; messagesAccepted?: number; messagesInvalid?: number; errors?: number };
}

/**
 * A finished feed, read message by message. A message is accepted unless an ERROR names it; an ERROR naming no
 * message, or a report that processed nothing, means the whole feed failed (FATAL) and every SKU in it waits for
 * another try with that reason.
 */
export function feedOutcomes(messageIds: number[], processingStatus: string, report: ProcessingReport | null): Map<number, SkuOutcome> {
  const out = new Map<number, SkuOutcome>();
  const feedErrors = (report?.issues ?? []).filter((i) => isError(i) && i.messageId === undefined);
  const processed = report?.summary?.messagesProcessed;
  if (processingStatus !== "DONE" || !report || feedErrors.length > 0 || processed === 0) {
    const reason = feedErrors.length > 0 ? describe(feedErrors) : `feed ${processingStatus}${report ? "" : " without a processing report"}`;
    for (const id of messageIds) out.set(id, { ok: false, error: reason });
    return out;
  }
  const byMessage = new Map<number, AmazonIssue[]>();
  for (const issue of report.issues ?? []) {
    if (issue.messageId === undefined || !isError(issue)) continue;
    byMessage.set(issue.messageId, [...(byMessage.get(issue.messageId) ?? []), issue]);
  }
  for (const id of messageIds) {
    const errors = byMessage.get(id);
    out.set(id, errors ? { ok: false, error: describe(errors) } : { ok: true });
  }
  return out;
}
