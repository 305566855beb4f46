import { audit } from "../db/audit";
import { ensureShop } from "../db/shops";
import { enqueueShopSync } from "../jobs/queue";

/** After a session is obtained (install or token refresh): make sure the shop exists, then mirror it. */
export async function onShopAuthenticated(shopDomain: string): Promise<void> {
  const shop = await ensureShop(shopDomain);
  await audit(shop.id, "system", "shop.authenticated");
  await enqueueShopSync(shopDomain);
}
