// Reports API 2021-06-30: createReport (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL), getReport,
// getReportDocument, and the presigned document URLs (a gzipped tab-separated report, as Amazon serves it with
// compressionAlgorithm GZIP). Processing follows the sandbox clock like feeds: IN_QUEUE for inQueueMs, IN_PROGRESS
// for inProgressMs, then DONE with a document written from the order book at that moment (orders whose
// LastUpdateDate is within [dataStartTime, dataEndTime]), or CANCELLED when there is no data, as Amazon does.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { errorList, isoSeconds, parseJsonObject, readBody, sendJson, sendText } from "./http";
import type { OrderBook } from "./order-book";
import { allOrdersReport } from "./order-report";

export const SUPPORTED_REPORT_TYPES = ["GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL"] as const;
export const REPORT_DOCUMENT_PATH_PREFIX = "/_s3/report-documents/";
/** Report document URLs expire after 5 minutes (Reports API model). */
export const REPORT_URL_TTL_MS = 5 * 60 * 1000;

export interface ReportTiming { inQueueMs: number; inProgressMs: number }
export const DEFAULT_REPORT_TIMING: ReportTiming = { inQueueMs: 1000, inProgressMs: 2000 };

export type ReportStatus = "IN_QUEUE" | "IN_PROGRESS" | "DONE" | "CANCELLED" | "FATAL";

export interface ReportRecord {
  reportId: string;
  reportType: string;
  marketplaceIds: string[];
  dataStartTime: number;
  dataEndTime: number;
  createdTime: number;
  startAt: number;
  endAt: number;
  processingStatus: ReportStatus;
  reportDocumentId?: string;
}

interface ReportDocument { reportDocumentId: string; gzipped: Buffer; rows: number }

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export class ReportService {
  readonly reports = new Map<string, ReportRecord>();
  readonly documents = new Map<string, ReportDocument>();
  private counter = 0;
  private readonly signingKey = randomBytes(32);

  constructor(
    private readonly book: OrderBook,
    private readonly marketplaceId: string,
    private readonly timing: ReportTiming,
    private readonly now: () => number,
    private readonly baseUrl: () => string,
  ) {}

  /** Moves every report whose time has come; returns those that finished. */
  advance(): ReportRecord[] {
    const t = this.now();
    const finished: ReportRecord[] = [];
    for (const report of this.reports.values()) {
      if (report.processingStatus === "IN_QUEUE" && t >= report.startAt) report.processingStatus = "IN_PROGRESS";
      if (report.processingStatus === "IN_PROGRESS" && t >= report.endAt) {
        const orders = [...this.book.orders.values()]
          .filter((o) => o.lastUpdateDate >= report.dataStartTime && o.lastUpdateDate <= report.dataEndTime)
          .sort((a, b) => a.lastUpdateDate - b.lastUpdateDate || a.amazonOrderId.localeCompare(b.amazonOrderId));
        if (orders.length === 0) report.processingStatus = "CANCELLED";
        else {
          const doc: ReportDocument = { reportDocumentId: `amzn1.spdoc.1.4.na.${randomUUID()}.T${randomBytes(6).toString("hex").toUpperCase()}`, gzipped: gzipSync(allOrdersReport(orders)), rows: orders.reduce((n, o) => n + o.items.length, 0) };
          this.documents.set(doc.reportDocumentId, doc);
          report.reportDocumentId = doc.reportDocumentId;
          report.processingStatus = "DONE";
        }
        finished.push(report);
      }
    }
    return finished;
  }

  reportView(r: ReportRecord): Record<string, unknown> {
    return {
      reportId: r.reportId,
      reportType: r.reportType,
      marketplaceIds: r.marketplaceIds,
      dataStartTime: isoSeconds(r.dataStartTime),
      dataEndTime: isoSeconds(r.dataEndTime),
      createdTime: isoSeconds(r.createdTime),
      processingStatus: r.processingStatus,
      ...(r.processingStatus !== "IN_QUEUE" ? { processingStartTime: isoSeconds(r.startAt) } : {}),
      ...(r.processingStatus === "DONE" || r.processingStatus === "CANCELLED" || r.processingStatus === "FATAL" ? { processingEndTime: isoSeconds(r.endAt) } : {}),
      ...(r.reportDocumentId ? { reportDocumentId: r.reportDocumentId } : {}),
    };
  }

  createReport = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = parseJsonObject(await readBody(req, 64 * 1024));
    const bad = (message: string) => sendJson(res, 400, errorList("InvalidInput", message));
    if (!body) return bad("Request body is not a JSON object.");
    const { reportType, marketplaceIds, dataStartTime, dataEndTime } = body as { reportType?: unknown; marketplaceIds?: unknown; dataStartTime?: unknown; dataEndTime?: unknown };
    if (typeof reportType !== "string" || !(SUPPORTED_REPORT_TYPES as readonly string[]).includes(reportType)) return bad(`Invalid reportType '${String(reportType)}' (the stand-in supports ${SUPPORTED_REPORT_TYPES.join(", ")}).`);
    if (!Array.isArray(marketplaceIds) || marketplaceIds.length === 0 || marketplaceIds.some((m) => typeof m !== "string")) return bad("marketplaceIds: a non-empty array of marketplace ids is required.");
    const foreign = (marketplaceIds as string[]).filter((m) => m !== this.marketplaceId);
    if (foreign.length > 0) return bad(`Invalid marketplaceIds: ${foreign.join(", ")}.`);
    const time = (name: string, v: unknown): number | string | undefined => {
      if (v === undefined) return undefined;
      const t = typeof v === "string" && ISO_8601.test(v) ? Date.parse(v) : NaN;
      return Number.isNaN(t) ? `${name} '${String(v)}' is not a valid ISO 8601 date.` : t;
    };
    const start = time("dataStartTime", dataStartTime);
    const end = time("dataEndTime", dataEndTime);
    if (typeof start === "string") return bad(start);
    if (typeof end === "string") return bad(end);
    const createdTime = this.now();
    const dataEnd = end ?? createdTime;
    const dataStart = start ?? dataEnd - 30 * 24 * 3_600_000; // Amazon's default: 30 days
    if (dataStart > dataEnd) return bad("dataStartTime must be before dataEndTime.");
    this.counter += 1;
    const report: ReportRecord = {
      reportId: String(60_000_000_000 + this.counter),
      reportType,
      marketplaceIds: marketplaceIds as string[],
      dataStartTime: dataStart,
      dataEndTime: dataEnd,
      createdTime,
      startAt: createdTime + this.timing.inQueueMs,
      endAt: createdTime + this.timing.inQueueMs + this.timing.inProgressMs,
      processingStatus: "IN_QUEUE",
    };
    this.reports.set(report.reportId, report);
    this.advance(); // zero-length timings finish at once
    sendJson(res, 202, { reportId: report.reportId });
  };

  getReport = async (_req: IncomingMessage, res: ServerResponse, reportId: string): Promise<void> => {
    const report = this.reports.get(reportId);
    if (!report) return sendJson(res, 404, errorList("NotFound", `Report '${reportId}' not found.`));
    sendJson(res, 200, this.reportView(report));
  };

  getReportDocument = async (_req: IncomingMessage, res: ServerResponse, reportDocumentId: string): Promise<void> => {
    if (!this.documents.has(reportDocumentId)) return sendJson(res, 404, errorList("NotFound", `Report document '${reportDocumentId}' not found.`));
    sendJson(res, 200, { reportDocumentId, url: this.presignedUrl(reportDocumentId), compressionAlgorithm: "GZIP" });
  };

  presignedUrl(reportDocumentId: string): string {
    const expires = this.now() + REPORT_URL_TTL_MS;
    return `${this.baseUrl()}${REPORT_DOCUMENT_PATH_PREFIX}${encodeURIComponent(reportDocumentId)}?X-Amz-Expires-At=${expires}&X-Amz-Signature=${this.sign(reportDocumentId, expires)}`;
  }

  private sign(id: string, expires: number): string {
    return createHmac("sha256", this.signingKey).update(`${id}\n${expires}`).digest("hex");
  }

  /** The presigned URL: GET the gzipped report (S3 answers other methods 405, a bad or old signature 403). */
  documentUrl = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const id = decodeURIComponent(url.pathname.slice(REPORT_DOCUMENT_PATH_PREFIX.length));
    const expires = Number(url.searchParams.get("X-Amz-Expires-At"));
    const doc = this.documents.get(id);
    const s3Error = (status: number, code: string, message: string) => sendText(res, status, `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`, "application/xml");
    if (!doc || !Number.isFinite(expires) || url.searchParams.get("X-Amz-Signature") !== this.sign(id, expires)) return s3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
    if (this.now() > expires) return s3Error(403, "AccessDenied", "Request has expired");
    if (req.method !== "GET") return s3Error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
    res.writeHead(200, { "Content-Type": "text/plain; charset=UTF-8", "Content-Length": doc.gzipped.length });
    res.end(doc.gzipped);
  };
}
