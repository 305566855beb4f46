// One app server of tests/multiprocess/multi-process.test.ts, in a process of its own:
//   DATABASE_URL=postgres://… REDIS_URL=redis://… QUEUE_PREFIX=… SHOPIFY_API_SECRET=… node --import tsx tests/multiprocess/app-process.ts
// Serves the production webhook intake — server.ts's `webhookIntake` (raw body → acceptWebhook: verify,
// record in the inbox, enqueue on Bull, answer) — for every route file app/routes/webhooks.*.ts, as the Remix
// build lists them, but from the source (no `npm run build` needed, so it always serves the code under
// test). It runs no worker: jobs go to Redis for the worker processes. Anything else answers 404.
// Prints "[app] listening <url>" once it accepts connections; SIGTERM closes the server, the queue and the
// database pool, then exits 0.

import { readdirSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { webhookIntake } from "../../server";
import { closeAppDatabase, database } from "~/.server/db/database";
import { queue } from "~/.server/jobs/queue";
import { acceptWebhook } from "~/.server/use-cases/receive-webhook";

if (!process.env.REDIS_URL) throw new Error("app-process: REDIS_URL is not set (the app would run jobs in-process)");

// The routes as Remix's flat-file convention names them: webhooks.orders_create.ts → /webhooks/orders_create.
const routesDir = path.resolve("app/routes");
const routes: Record<string, { path: string; module: unknown }> = {};
for (const file of readdirSync(routesDir).filter((f) => /^webhooks\.[a-z_]+\.ts$/.test(f))) {
  const id = file.replace(/\.ts$/, "");
  routes[id] = { path: id.replace(/\./g, "/"), module: await import(pathToFileURL(path.join(routesDir, file)).href) };
}
const intake = webhookIntake({ routes } as unknown as Pick<ServerBuild, "routes">, { acceptWebhook });

await database().get(`SELECT 1 AS "ok"`); // fail fast on a wrong DATABASE_URL
const server = createServer((req, res) => {
  if (!intake(req, res)) res.writeHead(404).end();
});
server.keepAliveTimeout = 65_000; // as server.ts: the sender keeps connections alive
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
console.log(`[app] listening http://127.0.0.1:${(server.address() as AddressInfo).port}`);

process.once("SIGTERM", () => {
  void (async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    await queue().close();
    await closeAppDatabase();
    process.exit(0);
  })();
});
