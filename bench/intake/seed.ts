import { pathToFileURL } from "node:url";
import { closeAppDatabase, database } from "../../app/.server/db/database";
import { migrate } from "../../app/.server/db/engine/migrate";
import { seedDemoShop } from "../../sandbox/seed-demo";
import { demoShopSeed } from "../../sandbox/shopify/demo-catalog";

// Seeds the bench shop into this run's fresh database (DATABASE_URL): migrations, the shop and its channels
// (ensureShop, inside seedDemoShop) plus the demo catalog, locations and stock, so order lines resolve to
// variants as they do in the demo. The payloads come from the same catalog (payloads.ts). Disconnects
// afterwards: the servers under test open their own connections.
export async function seedBenchShop(shop: string): Promise<void> {
  await migrate(database());
  await seedDemoShop(demoShopSeed(shop));
  await closeAppDatabase();
}

// `node --import tsx bench/intake/seed.ts`: the intake bench seeds each run's database once, before its processes start.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await seedBenchShop(process.env.BENCH_SHOP ?? "bench-oms.myshopify.com");
  process.exit(0);
}
