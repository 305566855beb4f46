import { parseRmaNumber } from "~/domain/returns/rma-number";
import { RETURN_STATUSES } from "~/domain/returns/status";
import { database } from "../db/database";
import { listReturnRows, returnByNumber } from "../db/returns-sql";
import { AppError } from "../errors";
import { returnView, type ReturnView } from "./return-view";

// RMAs as the API, the admin page and the warehouse's receiving queue read them.

/** The shop's RMAs, newest first, optionally of some statuses (e.g. approved,in_transit: what a location should expect). */
export async function listReturns(shopId: string, opts: { statuses?: string[]; locationId?: string; limit?: number } = {}): Promise<ReturnView[]> {
  const unknown = (opts.statuses ?? []).filter((s) => !(RETURN_STATUSES as readonly string[]).includes(s));
  if (unknown.length > 0) throw new AppError("invalid_data", "RETURN.QUERY_INVALID", `Unknown status ${unknown.map((s) => JSON.stringify(s)).join(", ")}; one of ${RETURN_STATUSES.join(", ")}.`);
  const db = database();
  const rows = await listReturnRows(db, shopId, { statuses: opts.statuses, locationId: opts.locationId, limit: opts.limit ?? 50 });
  const views: ReturnView[] = [];
  for (const row of rows) views.push(await returnView(db, shopId, row));
  return views;
}

export async function getReturn(shopId: string, number: string): Promise<ReturnView> {
  const normal = parseRmaNumber(number);
  const row = normal ? await returnByNumber(database(), shopId, normal) : undefined;
  if (!row) throw new AppError("not_found", "RETURN.NOT_FOUND", `No return ${JSON.stringify(number)} in this shop.`);
  return returnView(database(), shopId, row);
}
