// Processing one JSON_LISTINGS_FEED document: schema check (a feed that is not JSON or does not match
// listings-feed-schema-v2 is FATAL), then each message through the same rules as a Listings patch, then the
// processing report (listings-feed-processing-report-schema-v2), which is checked before it is handed out.
import { applyChanges, attributesToPatches, evaluatePatches, ISSUE_CODES, type ListingIssue, type PatchOperation } from "./listing-patches";
import { listingItemView, type IncludedData, type ListingsContext } from "./listings";
import { amazonValidators, type SchemaIssue } from "./schemas";

export interface ReportIssue {
  messageId?: number;
  sku?: string;
  code: string;
  severity: "ERROR" | "WARNING" | "INFO";
  message: string;
  attributeName?: string;
}

export interface ProcessingReport {
  header: { sellerId: string; version: "2.0"; feedId: string; report?: { includedData: IncludedData[]; apiVersion: "2021-08-01" } };
  issues: ReportIssue[];
  summary: { errors: number; warnings: number; messagesProcessed: number; messagesAccepted: number; messagesInvalid: number; itemSummary?: { items: number; errors: number; warnings: number } };
  items?: Record<string, unknown>[];
}

interface FeedMessage {
  messageId: number;
  sku: string;
  operationType: "UPDATE" | "PARTIAL_UPDATE" | "PATCH" | "DELETE";
  productType?: string;
  attributes?: Record<string, unknown>;
  patches?: PatchOperation[];
}

interface ListingsFeed {
  header: { sellerId: string; version: "2.0"; report?: { includedData: IncludedData[]; apiVersion: "2021-08-01" } };
  messages: FeedMessage[];
}

export interface FeedOutcome {
  processingStatus: "DONE" | "FATAL";
  report: ProcessingReport;
}

const JSON_CONTENT_TYPE = /^application\/json\b/i;

/** Processes the feed at `at` (its processing end): quantity changes are accepted at that time. */
export function processListingsFeed(ctx: ListingsContext, feedId: string, contentType: string, content: string | undefined, at: number): FeedOutcome {
  const fatal = (issues: ReportIssue[]): FeedOutcome => ({
    processingStatus: "FATAL",
    report: checked({
      header: { sellerId: ctx.sellerId, version: "2.0", feedId },
      issues,
      summary: { errors: issues.length, warnings: 0, messagesProcessed: 0, messagesAccepted: 0, messagesInvalid: 0 },
    }),
  });
  const feedIssue = (message: string, messageId?: number): ReportIssue => ({ ...(messageId ? { messageId } : {}), code: ISSUE_CODES.invalidFeed, severity: "ERROR", message });

  if (content === undefined || content.length === 0) return fatal([feedIssue("The feed document has no content: upload it to the document URL before createFeed.")]);
  if (!JSON_CONTENT_TYPE.test(contentType)) return fatal([feedIssue(`JSON_LISTINGS_FEED needs a document of content type application/json, not '${contentType}'.`)]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    return fatal([feedIssue(`The feed document is not valid JSON: ${(error as Error).message}`)]);
  }
  const schemaIssues = amazonValidators().listingsFeed.issues(parsed);
  if (schemaIssues.length > 0) return fatal(schemaIssues.slice(0, 50).map((i) => feedIssue(`Feed does not match listings-feed-schema-v2: ${i.path} ${i.message}`, messageIdAt(parsed, i))));
  const feed = parsed as ListingsFeed;
  if (feed.header.sellerId !== ctx.sellerId) return fatal([feedIssue(`header.sellerId '${feed.header.sellerId}' is not the seller that submitted the feed.`)]);

  const issues: ReportIssue[] = [];
  const seen = new Set<number>();
  const acceptedSkus: string[] = [];
  let accepted = 0;
  for (const message of feed.messages) {
    const messageIssues = processMessage(ctx, feedId, message, seen, at);
    for (const issue of messageIssues) {
      issues.push({ messageId: message.messageId, sku: message.sku, code: issue.code, severity: issue.severity, message: issue.message, ...(issue.attributeNames?.length ? { attributeName: issue.attributeNames[0] } : {}) });
    }
    if (messageIssues.some((i) => i.severity === "ERROR")) continue;
    accepted += 1;
    if (message.operationType !== "DELETE") acceptedSkus.push(message.sku);
  }
  const report: ProcessingReport = {
    header: { sellerId: ctx.sellerId, version: "2.0", feedId, ...(feed.header.report ? { report: feed.header.report } : {}) },
    issues,
    summary: {
      errors: issues.filter((i) => i.severity === "ERROR").length,
      warnings: issues.filter((i) => i.severity === "WARNING").length,
      messagesProcessed: feed.messages.length,
      messagesAccepted: accepted,
      messagesInvalid: feed.messages.length - accepted,
    },
  };
  if (feed.header.report) {
    const items = [...new Set(acceptedSkus)].flatMap((sku) => {
      const listing = ctx.store.get(sku);
      return listing ? [listingItemView(ctx, listing, feed.header.report!.includedData)] : [];
    });
    report.items = items;
    report.summary.itemSummary = { items: items.length, errors: 0, warnings: 0 };
  }
  return { processingStatus: "DONE", report: checked(report) };
}

function processMessage(ctx: ListingsContext, feedId: string, message: FeedMessage, seen: Set<number>, at: number): ListingIssue[] {
  if (seen.has(message.messageId)) {
    return [{ code: ISSUE_CODES.duplicateMessageId, message: `messageId ${message.messageId} is used by an earlier message in this feed.`, severity: "ERROR", categories: [] }];
  }
  seen.add(message.messageId);
  const listing = ctx.store.get(message.sku);
  if (!listing) {
    const what = message.operationType === "UPDATE" ? " (the stand-in does not create listings: seed the SKU through the control API)" : "";
    return [{ code: ISSUE_CODES.skuNotFound, message: `SKU '${message.sku}' does not exist for this seller in marketplace ${ctx.marketplaceId}${what}.`, severity: "ERROR", categories: [] }];
  }
  if (message.operationType === "DELETE") {
    ctx.store.delete(message.sku);
    return [];
  }
  const patches =
    message.operationType === "PATCH" ? message.patches! : attributesToPatches(listing, message.attributes!, message.operationType === "UPDATE");
  const evaluation = evaluatePatches(listing, message.productType!, patches);
  if (!evaluation.issues.some((i) => i.severity === "ERROR")) applyChanges(ctx.store, message.sku, evaluation.changes, "feed", feedId, at);
  return evaluation.issues;
}

/** The messageId of the message a schema issue points into, if any. */
function messageIdAt(feed: unknown, issue: SchemaIssue): number | undefined {
  const index = /^\/messages\/(\d+)/.exec(issue.path)?.[1];
  if (index === undefined) return undefined;
  const id = (feed as { messages?: { messageId?: unknown }[] }).messages?.[Number(index)]?.messageId;
  return Number.isInteger(id) && (id as number) >= 1 ? (id as number) : undefined;
}

/** The stand-in never hands out a report that Amazon's schema would reject. */
function checked(report: ProcessingReport): ProcessingReport {
  const issues = amazonValidators().processingReport.issues(report);
  if (issues.length > 0) throw new Error(`sandbox bug: processing report fails its schema: ${JSON.stringify(issues)}`);
  return report;
}
