import { audit } from "../db/audit";
import { db } from "../db/client";

/** The app-owned settings of a location: how many orders a day it ships, its cut-off, its handling cost. */
export async function updateLocationSettings(
  shopId: string,
  locationId: string,
  settings: { dailyCapacity: number; carrierCutoff: string; handlingCostMinor: number },
): Promise<{ ok: true } | { ok: false; error: string }> {
  const { count } = await db().location.updateMany({
    where: { id: locationId, shopId },
    data: { dailyCapacity: settings.dailyCapacity, carrierCutoff: settings.carrierCutoff, handlingCostMinor: settings.handlingCostMinor },
  });
  if (count === 0) return { ok: false, error: "No such location in this shop." };
  await audit(shopId, "user", "location.settings_updated", { type: "location", id: locationId }, settings);
  return { ok: true };
}
