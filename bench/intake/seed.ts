import { closeAppDatabase } from "../../app/.server/db/database";
import { seedDemoShop } from "../../sandbox/seed-demo";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";

// Seeds the bench shop into this run's fresh database (DATABASE_URL, set by the parent before this
// process started): the shop and its channels (ensureShop, inside seedDemoShop) plus the demo
// catalog, locations and stock, so order lines resolve to variants as they do in the demo.
// The payloads come from the same catalog (payloads.ts). Disconnects afterwards: the server under
// test opens its own connection.
export async function seedBenchShop(shop: string): Promise<void> {
  await seedDemoShop(demoShopSeed(shop));
  await closeAppDatabase();
}
