import { database } from "../db/database";
import { binsByCode, findWarehouse } from "../db/warehouse-sql";
import { AppError } from "../errors";
import { requireLocation } from "./manage-warehouse";

// A pick list named by bins, for the pick-route API's stored form (ADR 0029).

/** The bins named, resolved to where they stand: (aisle, yM), in the order given; unknown ones listed. */
export async function resolveBins(shopId: string, location: string, codes: string[]) {
  const q = database();
  const locationId = await requireLocation(q, shopId, location);
  const warehouse = await findWarehouse(q, shopId, locationId);
  if (!warehouse) throw new AppError("not_found", "WAREHOUSE.NOT_MANAGED", `Location ${location} is not managed by the warehouse module: it has no stored layout`);
  const normalised = codes.map((c) => c.trim().toUpperCase());
  const found = await binsByCode(q, shopId, locationId, [...new Set(normalised)]);
  const unknown = [...new Set(normalised.filter((c) => !found.has(c)))];
  return { layout: warehouse.layout, picks: normalised.map((c) => found.get(c)).filter((b) => b !== undefined).map((b) => ({ aisle: b.aisle, yM: b.yM })), unknown, codes: normalised };
}
