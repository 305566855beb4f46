// Feeds API 2021-06-30: createFeedDocument (a presigned upload URL on the stand-in), createFeed, getFeed,
// getFeedDocument, and the presigned document URLs themselves (PUT the feed, GET the processing report).
// Processing follows the sandbox clock: IN_QUEUE for inQueueMs, IN_PROGRESS for inProgressMs (one feed at a
// time per seller, as Amazon queues them), then DONE or FATAL. `advance()` moves feeds whose time has come.
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { processListingsFeed, type ProcessingReport } from "./feed-processing";
import { errorList, isoSeconds, parseJsonObject, readBody, sendJson, sendText } from "./http";
import type { ListingsContext } from "./listings";
import { amazonValidators, describeIssues } from "./schemas";

export const SUPPORTED_FEED_TYPES = ["JSON_LISTINGS_FEED"] as const;
/** Presigned document URLs expire after 5 minutes (Feeds API model). */
export const DOCUMENT_URL_TTL_MS = 5 * 60 * 1000;
export const DOCUMENT_PATH_PREFIX = "/_s3/feed-documents/";

export interface FeedTiming { inQueueMs: number; inProgressMs: number }
export const DEFAULT_FEED_TIMING: FeedTiming = { inQueueMs: 1000, inProgressMs: 2000 };

export type ProcessingStatus = "IN_QUEUE" | "IN_PROGRESS" | "DONE" | "FATAL" | "CANCELLED";

export interface FeedDocumentRecord {
  feedDocumentId: string;
  contentType: string;
  content?: string;
  kind: "input" | "result";
}

export interface FeedRecord {
  feedId: string;
  feedType: string;
  marketplaceIds: string[];
  inputFeedDocumentId: string;
  createdTime: number;
  startAt: number;
  endAt: number;
  processingStatus: ProcessingStatus;
  resultFeedDocumentId?: string;
  /** The input document's content and type, taken when the feed was created. */
  input: { contentType: string; content?: string };
  report?: ProcessingReport;
}

export class FeedService {
  readonly documents = new Map<string, FeedDocumentRecord>();
  readonly feeds = new Map<string, FeedRecord>();
  private feedCounter = 0;
  private lastScheduledEnd = Number.NEGATIVE_INFINITY;
  private readonly signingKey = randomBytes(32);

  constructor(
    private readonly ctx: ListingsContext,
    private readonly timing: FeedTiming,
    private readonly baseUrl: () => string,
  ) {}

  private now(): number {
    return this.ctx.store.now();
  }

  /** Moves every feed whose time has come (in creation order); returns the feeds that finished. */
  advance(): FeedRecord[] {
    const t = this.now();
    const finished: FeedRecord[] = [];
    for (const feed of this.feeds.values()) {
      if (feed.processingStatus === "IN_QUEUE" && t >= feed.startAt) feed.processingStatus = "IN_PROGRESS";
      if (feed.processingStatus === "IN_PROGRESS" && t >= feed.endAt) {
        const outcome = processListingsFeed(this.ctx, feed.feedId, feed.input.contentType, feed.input.content, feed.endAt);
        const result = this.newDocument("application/json", "result");
        result.content = JSON.stringify(outcome.report);
        feed.report = outcome.report;
        feed.resultFeedDocumentId = result.feedDocumentId;
        feed.processingStatus = outcome.processingStatus;
        finished.push(feed);
      }
    }
    return finished;
  }

  private newDocument(contentType: string, kind: FeedDocumentRecord["kind"]): FeedDocumentRecord {
    const doc = { feedDocumentId: `amzn1.tortuga.4.na.${randomUUID()}.T${randomBytes(6).toString("hex").toUpperCase()}`, contentType, kind };
    this.documents.set(doc.feedDocumentId, doc);
    return doc;
  }

  /** A presigned URL for the document, valid DOCUMENT_URL_TTL_MS from now. */
  presignedUrl(feedDocumentId: string): string {
    const expires = this.now() + DOCUMENT_URL_TTL_MS;
    const signature = this.sign(feedDocumentId, expires);
    return `${this.baseUrl()}${DOCUMENT_PATH_PREFIX}${encodeURIComponent(feedDocumentId)}?X-Amz-Expires-At=${expires}&X-Amz-Signature=${signature}`;
  }

  private sign(feedDocumentId: string, expires: number): string {
    return createHmac("sha256", this.signingKey).update(`${feedDocumentId}\n${expires}`).digest("hex");
  }

  feedView(feed: FeedRecord): Record<string, unknown> {
    return {
      feedId: feed.feedId,
      feedType: feed.feedType,
      marketplaceIds: feed.marketplaceIds,
      createdTime: isoSeconds(feed.createdTime),
      processingStatus: feed.processingStatus,
      ...(feed.processingStatus !== "IN_QUEUE" ? { processingStartTime: isoSeconds(feed.startAt) } : {}),
      ...(feed.processingStatus === "DONE" || feed.processingStatus === "FATAL" ? { processingEndTime: isoSeconds(feed.endAt) } : {}),
      ...(feed.resultFeedDocumentId ? { resultFeedDocumentId: feed.resultFeedDocumentId } : {}),
    };
  }

  createDocument = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = parseJsonObject(await readBody(req, 64 * 1024));
    if (!body) return sendJson(res, 400, errorList("InvalidInput", "Request body is not a JSON object."));
    const issues = amazonValidators().createFeedDocumentSpecification.issues(body);
    if (issues.length > 0) return sendJson(res, 400, errorList("InvalidInput", "Request has missing or invalid parameters and cannot be parsed.", describeIssues(issues)));
    const doc = this.newDocument(String(body.contentType), "input");
    sendJson(res, 201, { feedDocumentId: doc.feedDocumentId, url: this.presignedUrl(doc.feedDocumentId) });
  };

  createFeed = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = parseJsonObject(await readBody(req, 64 * 1024));
    if (!body) return sendJson(res, 400, errorList("InvalidInput", "Request body is not a JSON object."));
    const issues = amazonValidators().createFeedSpecification.issues(body);
    if (issues.length > 0) return sendJson(res, 400, errorList("InvalidInput", "Request has missing or invalid parameters and cannot be parsed.", describeIssues(issues)));
    const spec = body as { feedType: string; marketplaceIds: string[]; inputFeedDocumentId: string };
    if (!(SUPPORTED_FEED_TYPES as readonly string[]).includes(spec.feedType)) {
      return sendJson(res, 400, errorList("InvalidInput", `Invalid feedType '${spec.feedType}' (the stand-in supports ${SUPPORTED_FEED_TYPES.join(", ")}).`));
    }
    const foreign = spec.marketplaceIds.filter((m) => m !== this.ctx.marketplaceId);
    if (foreign.length > 0) return sendJson(res, 400, errorList("InvalidInput", `Invalid marketplaceIds: ${foreign.join(", ")}.`));
    const doc = this.documents.get(spec.inputFeedDocumentId);
    if (!doc || doc.kind !== "input") return sendJson(res, 400, errorList("InvalidInput", `Invalid inputFeedDocumentId '${spec.inputFeedDocumentId}'.`));
    const createdTime = this.now();
    const startAt = Math.max(createdTime + this.timing.inQueueMs, this.lastScheduledEnd);
    const endAt = startAt + this.timing.inProgressMs;
    this.lastScheduledEnd = endAt;
    this.feedCounter += 1;
    const feed: FeedRecord = {
      feedId: String(50_000_000_000 + this.feedCounter),
      feedType: spec.feedType,
      marketplaceIds: spec.marketplaceIds,
      inputFeedDocumentId: doc.feedDocumentId,
      createdTime,
      startAt,
      endAt,
      processingStatus: "IN_QUEUE",
      input: { contentType: doc.contentType, content: doc.content },
    };
    this.feeds.set(feed.feedId, feed);
    this.advance(); // zero-length timings finish at once
    sendJson(res, 202, { feedId: feed.feedId });
  };

  getFeed = async (_req: IncomingMessage, res: ServerResponse, feedId: string): Promise<void> => {
    const feed = this.feeds.get(feedId);
    if (!feed) return sendJson(res, 404, errorList("NotFound", `Feed '${feedId}' not found.`));
    sendJson(res, 200, this.feedView(feed));
  };

  getDocument = async (_req: IncomingMessage, res: ServerResponse, feedDocumentId: string): Promise<void> => {
    const doc = this.documents.get(feedDocumentId);
    if (!doc) return sendJson(res, 404, errorList("NotFound", `Feed document '${feedDocumentId}' not found.`));
    sendJson(res, 200, { feedDocumentId, url: this.presignedUrl(feedDocumentId) });
  };

  /** The presigned URL: PUT uploads an input document (Content-Type must match), GET downloads any document. */
  documentUrl = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const id = decodeURIComponent(url.pathname.slice(DOCUMENT_PATH_PREFIX.length));
    const expires = Number(url.searchParams.get("X-Amz-Expires-At"));
    const signature = url.searchParams.get("X-Amz-Signature") ?? "";
    const doc = this.documents.get(id);
    const s3Error = (status: number, code: string, message: string) =>
      sendText(res, status, `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`, "application/xml");
    if (!doc || !Number.isFinite(expires) || signature !== this.sign(id, expires)) {
      await readBody(req).catch(() => "");
      return s3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
    }
    if (this.now() > expires) {
      await readBody(req).catch(() => "");
      return s3Error(403, "AccessDenied", "Request has expired");
    }
    if (req.method === "PUT") {
      const content = await readBody(req, 100 * 1024 * 1024);
      if (doc.kind !== "input") return s3Error(403, "AccessDenied", "Access Denied");
      const sent = String(req.headers["content-type"] ?? "");
      if (normaliseType(sent) !== normaliseType(doc.contentType)) {
        return s3Error(403, "SignatureDoesNotMatch", `Content-Type '${sent}' does not match the content type '${doc.contentType}' the document was created with.`);
      }
      doc.content = content;
      res.writeHead(200, { ETag: `"${createHash("md5").update(content).digest("hex")}"`, "Content-Length": 0 });
      return void res.end();
    }
    if (req.method === "GET") {
      if (doc.content === undefined) return s3Error(404, "NoSuchKey", "The specified key does not exist.");
      return sendText(res, 200, doc.content, doc.contentType);
    }
    return s3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
  };
}

function normaliseType(type: string): string {
  return type.toLowerCase().replace(/\s+/g, "");
}
