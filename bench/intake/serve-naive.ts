import { serveUntilStopped } from "./child-protocol";
import { startNaiveServer } from "./naive-server";
import { seedBenchShop } from "./seed";

// Child process of the intake bench: the naive inline handler (naive-server.ts) on a free loopback
// port, on its own freshly seeded database (DATABASE_URL from the parent).

if (process.env.BENCH_SEED !== "0") await seedBenchShop(process.env.BENCH_SHOP ?? "bench-oms.myshopify.com"); // several processes on one database: the parent seeds once
const server = await startNaiveServer({ secret: process.env.SHOPIFY_API_SECRET ?? "", path: "/webhooks/orders_create" });
serveUntilStopped(server.port, () => server.close());
