import { labourReport, type LabourReport } from "~/domain/warehouse/labour";
import { database } from "../db/database";
import { sqlTime } from "../db/ids";
import { labourEventsBetween } from "../db/labour-sql";
import { findLocationId } from "../db/receipt-sql";
import { AppError } from "../errors";

// The Warehouse dashboard's labour figures (issue 13, item 8; ADR 0034): a location's scan events over whole UTC
// days, aggregated per worker and per day in app/domain/warehouse/labour.ts.

const DAY_MS = 86_400_000;
/** The longest period one request reads. */
export const MAX_LABOUR_DAYS = 92;

export interface LabourPeriod {
  /** First day, YYYY-MM-DD (UTC). */
  from: string;
  /** Last day, inclusive. */
  to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The period asked for (default: the 7 days ending today); refused: a malformed day, to before from, more than 92 days. */
export function labourPeriod(from: string | null | undefined, to: string | null | undefined, now = new Date()): LabourPeriod {
  const end = to?.trim() || now.toISOString().slice(0, 10);
  const start = from?.trim() || new Date(Date.parse(`${end}T00:00:00.000Z`) - 6 * DAY_MS).toISOString().slice(0, 10);
  for (const [name, d] of [["from", start], ["to", end]] as const) {
    if (!DAY.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00.000Z`)) || new Date(`${d}T00:00:00.000Z`).toISOString().slice(0, 10) !== d) throw new AppError("invalid_data", "LABOUR.BAD_DAY", `${name} must be a day like 2026-06-01 (got ${JSON.stringify(d)})`);
  }
  const days = (Date.parse(`${end}T00:00:00.000Z`) - Date.parse(`${start}T00:00:00.000Z`)) / DAY_MS + 1;
  if (days < 1) throw new AppError("invalid_data", "LABOUR.BAD_PERIOD", `to (${end}) is before from (${start})`);
  if (days > MAX_LABOUR_DAYS) throw new AppError("invalid_data", "LABOUR.PERIOD_TOO_LONG", `A labour report covers at most ${MAX_LABOUR_DAYS} days (asked ${days})`);
  return { from: start, to: end };
}

/** The location's labour figures over the period's days. */
export async function readLabour(shopId: string, location: string, period: LabourPeriod): Promise<LabourPeriod & LabourReport & { events: number }> {
  const q = database();
  const locationId = await findLocationId(q, shopId, location);
  if (!locationId) throw new AppError("not_found", "WAREHOUSE.UNKNOWN_LOCATION", `No location ${JSON.stringify(location)} in this shop`);
  const events = await labourEventsBetween(q, shopId, locationId, sqlTime(new Date(`${period.from}T00:00:00.000Z`)), sqlTime(new Date(Date.parse(`${period.to}T00:00:00.000Z`) + DAY_MS)));
  return { ...period, events: events.length, ...labourReport(events) };
}
