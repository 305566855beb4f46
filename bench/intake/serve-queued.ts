import { startAppServer } from "../../server";
import { serveUntilStopped } from "./child-protocol";
import { seedBenchShop } from "./seed";

// Child process of the intake bench: the production server (server.ts → startAppServer with the
// Remix build) on a free loopback port. BENCH_WORKER=1 runs the in-process job worker beside the
// routes (the embedded default deployment), BENCH_WORKER=0 only receives.
// Environment (DATABASE_URL, SHOPIFY_API_SECRET, …) comes from the parent.

if (process.env.BENCH_SEED !== "0") await seedBenchShop(process.env.BENCH_SHOP ?? "bench-oms.myshopify.com"); // several processes on one database: the parent seeds once
const server = await startAppServer({
  port: 0,
  host: "127.0.0.1",
  buildDir: process.env.BENCH_BUILD_DIR ?? "build",
  worker: process.env.BENCH_WORKER === "1",
  quietWorker: true,
});
serveUntilStopped(server.port, async () => {
  // The engine's counters (SQLite: group commits and units) on stderr, for a bench run that wants them.
  if (process.env.BENCH_DB_STATS) console.error(`db stats ${JSON.stringify(server.dbStats())}`);
  await server.close();
});
