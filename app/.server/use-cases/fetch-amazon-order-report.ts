import { AMAZON_ORDER_REPORT_TYPE } from "~/domain/imports/amazon-order-report";
import { spApiClient, type SpApiClient } from "../channels/amazon/sp-api-client";
import { amazonConnection } from "../db/amazon-sql";
import { database } from "../db/database";
import { insertImport, setImportSourceRef, type ImportRow } from "../db/imports-sql";
import { AppError } from "../errors";
import { importFormat } from "../imports/formats";
import { enqueueImport } from "../jobs/queue";
import { importChannel, importModeOf, MAX_IMPORT_BYTES, type CreatedImport } from "./create-import";

// Amazon order reports through the Reports API (ADR 0016): for a connected Amazon channel, an import whose file
// is fetched by its job — createReport (GET_FLAT_FILE_ALL_ORDERS_DATA_BY_LAST_UPDATE_GENERAL from a start time),
// getReport until DONE, getReportDocument, the document downloaded and gunzipped — then run like an upload. The
// reportId is kept on the import as soon as Amazon gives it, so a retried job polls the same report instead of
// asking for another (createReport refills one request a minute). CANCELLED means Amazon had no data for the
// period: the import finishes with nothing in it. 429s wait at the operation's rate (the client).

const FORMAT = "amazon-orders-report";
/** How long a report may take before the job gives up for now (it is retried and polls the same report). */
const MAX_WAIT_MS = 30 * 60_000;
const POLL_MS = 10_000;

interface ReportRef {
  since: string;
  reportId?: string;
}

function refOf(imp: ImportRow): ReportRef {
  try {
    const ref = JSON.parse(imp.sourceRef ?? "{}") as Partial<ReportRef>;
    if (typeof ref.since === "string") return { since: ref.since, reportId: typeof ref.reportId === "string" ? ref.reportId : undefined };
  } catch {
    // fall through
  }
  throw new AppError("unexpected_state", "IMPORT.REPORT_REF", `Import ${imp.id} does not say which Amazon report to fetch.`);
}

/** Ask for the orders Amazon updated since `since` as a report; the import job fetches and takes it in. */
export async function requestAmazonOrderReport(shopId: string, channelId: string | null, opts: { since: Date; mode?: string | null }): Promise<CreatedImport> {
  const format = importFormat(FORMAT);
  const channel = await importChannel(shopId, format, channelId);
  if (!(await amazonConnection(database(), shopId, channel.channelId))) throw new AppError("invalid_data", "AMAZON.NOT_CONNECTED", "This Amazon channel is not connected: connect it on the Channels page to fetch its order reports.");
  if (Number.isNaN(opts.since.getTime())) throw new AppError("invalid_data", "IMPORT.INVALID_SINCE", "The report's start time is not a date.");
  const mode = importModeOf(opts.mode);
  const ref: ReportRef = { since: opts.since.toISOString().replace(/\.\d{3}Z$/, "Z") };
  const importId = await database().transaction((tx) =>
    insertImport(tx, shopId, { channelId: channel.channelId, fileId: null, format: FORMAT, source: "reports-api", sourceRef: JSON.stringify(ref), filename: null, mode, documentHash: null }),
  );
  await enqueueImport(shopId, importId);
  return { importId, existing: false };
}

export interface FetchOptions {
  client?: SpApiClient;
  sleep?: (ms: number) => Promise<void>;
  pollMs?: number;
  now?: () => number;
}

/** The report's bytes (null: Amazon had no data for the period), fetched for a reports-api import. */
export async function downloadAmazonOrderReport(shopId: string, imp: ImportRow, opts: FetchOptions = {}): Promise<{ bytes: Buffer; filename: string; charset: string | null } | null> {
  if (!imp.channelId) throw new AppError("unexpected_state", "IMPORT.NO_CHANNEL", `Import ${imp.id} names no channel.`);
  const connection = await amazonConnection(database(), shopId, imp.channelId);
  if (!connection) throw new AppError("not_allowed", "AMAZON.NOT_CONNECTED", "This Amazon channel is no longer connected: its report cannot be fetched.");
  const client = opts.client ?? spApiClient({ key: imp.channelId, sellerId: connection.sellerId, marketplaceId: connection.marketplaceId, refreshToken: connection.refreshToken });
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = opts.now ?? Date.now;
  const ref = refOf(imp);
  let reportId = ref.reportId;
  if (!reportId) {
    const created = await client.call<{ reportId?: string }>("createReport", "POST", "/reports/2021-06-30/reports", {
      body: { reportType: AMAZON_ORDER_REPORT_TYPE, marketplaceIds: [connection.marketplaceId], dataStartTime: ref.since },
      sleep,
    });
    if (!created?.reportId) throw new AppError("unexpected_state", "AMAZON.NO_REPORT_ID", "Amazon accepted the report request without a reportId.");
    reportId = created.reportId;
    await database().transaction((tx) => setImportSourceRef(tx, shopId, imp.id, JSON.stringify({ ...ref, reportId })));
  }
  const started = now();
  let report: { processingStatus?: string; reportDocumentId?: string };
  for (;;) {
    report = await client.call("getReport", "GET", `/reports/2021-06-30/reports/${encodeURIComponent(reportId)}`, { sleep });
    if (report.processingStatus === "DONE") break;
    if (report.processingStatus === "CANCELLED") return null; // no data for the period
    if (report.processingStatus === "FATAL") throw new AppError("unexpected_state", "AMAZON.REPORT_FATAL", `Amazon could not produce report ${reportId} (FATAL).`);
    if (now() - started > MAX_WAIT_MS) throw new Error(`Amazon report ${reportId} is still ${report.processingStatus ?? "unknown"} after ${MAX_WAIT_MS / 60_000} minutes`);
    await sleep(opts.pollMs ?? POLL_MS);
  }
  if (!report.reportDocumentId) throw new AppError("unexpected_state", "AMAZON.NO_DOCUMENT", `Amazon's report ${reportId} is DONE without a document.`);
  const doc = await client.call<{ url?: string; compressionAlgorithm?: string }>("getReportDocument", "GET", `/reports/2021-06-30/documents/${encodeURIComponent(report.reportDocumentId)}`, { sleep });
  if (!doc?.url) throw new AppError("unexpected_state", "AMAZON.NO_DOCUMENT_URL", `Amazon gave no URL for report document ${report.reportDocumentId}.`);
  const { bytes, contentType } = await client.downloadBytes(doc.url, doc.compressionAlgorithm);
  if (bytes.byteLength > MAX_IMPORT_BYTES) throw new AppError("invalid_data", "IMPORT.TOO_LARGE", `Amazon's report is larger than the limit of ${MAX_IMPORT_BYTES / 1024 / 1024} MB: ask for a shorter period.`);
  const charset = /charset=([^;]+)/i.exec(contentType ?? "")?.[1]?.trim() ?? null;
  return { bytes, filename: `${AMAZON_ORDER_REPORT_TYPE}-${reportId}.txt`, charset };
}
