import { AppError } from "../errors";
import { amazonOrdersReportFormat } from "./amazon-orders-report-format";
import { csvPurchaseOrderFormat } from "./csv-po-format";
import type { ImportFormat } from "./import-format";
import { x12Format } from "./x12-format";

// The formats an import can be in, by the id the API and the Imports page use. A new format (x12, csv-po) is one
// adapter implementing ImportFormat (import-format.ts) and one entry here.

const FORMATS: readonly ImportFormat[] = [amazonOrdersReportFormat as ImportFormat, csvPurchaseOrderFormat as ImportFormat, x12Format as ImportFormat];

export const IMPORT_FORMAT_IDS: readonly string[] = FORMATS.map((f) => f.id);

export function importFormats(): readonly ImportFormat[] {
  return FORMATS;
}

/** The format by id, or invalid data listing the supported ones. */
export function importFormat(id: string | null | undefined): ImportFormat {
  const format = FORMATS.find((f) => f.id === id);
  if (!format) throw new AppError("invalid_data", "IMPORT.UNKNOWN_FORMAT", `${id ? `Unknown import format "${String(id).slice(0, 40)}"` : "No import format given"}: supported formats are ${IMPORT_FORMAT_IDS.join(", ")}.`, { supported: IMPORT_FORMAT_IDS });
  return format;
}
