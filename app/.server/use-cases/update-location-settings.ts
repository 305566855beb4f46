import { audit } from "../db/audit";
import { setLocationSettings } from "../db/catalog";
import { database } from "../db/database";
import { bumpConfigVersion } from "../db/shops";

/**
 * The app-owned settings of a location: how many orders a day it ships, its cut-off, its handling cost.
 * Routing reads them, so the shop's config version moves in the same transaction (caches in every process
 * key on it), with the audit entry.
 */
export async function updateLocationSettings(
  shopId: string,
  locationId: string,
  settings: { dailyCapacity: number; carrierCutoff: string; handlingCostMinor: number },
): Promise<{ ok: true } | { ok: false; error: string }> {
  const updated = await database().transaction(async (tx) => {
    if (!(await setLocationSettings(tx, shopId, locationId, settings))) return false;
    await bumpConfigVersion(tx, shopId);
    await audit(tx, shopId, "user", "location.settings_updated", { type: "location", id: locationId }, settings);
    return true;
  });
  return updated ? { ok: true } : { ok: false, error: "No such location in this shop." };
}
