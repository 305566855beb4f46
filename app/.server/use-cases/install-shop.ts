import { audit } from "../db/audit";
import { database } from "../db/database";
import { installShop } from "../db/shops";
import { enqueueShopSync, enqueueWebhookProcessing } from "../jobs/queue";

/**
 * After a session is obtained by token exchange (install, reinstall, token refresh): the shop is installed
 * — the only way a shop becomes installed — its webhooks held until now are processed, and it is mirrored.
 */
export async function onShopAuthenticated(shopDomain: string): Promise<void> {
  const { shopId, released } = await installShop(shopDomain);
  await audit(database(), shopId, "system", "shop.authenticated", undefined, released.length ? { heldWebhooksReleased: released.length } : {});
  for (const row of released) await enqueueWebhookProcessing(row.id, shopDomain, row.eventId);
  await enqueueShopSync(shopDomain);
}
