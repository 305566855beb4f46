import { closeAppDatabase, database } from "../db/database";
import { pingDatabase } from "../db/operations";
import { lowerWorkerPriority } from "../worker/worker-priority";
import { startWorker } from "../worker/start-worker";

// `npm run worker`: the production worker process, run compiled (`npm run build` puts it in build/worker with
// scripts/compile-node.ts). Pair it with REDIS_URL so the web process enqueues into Redis. Stops gracefully on
// SIGTERM/SIGINT: no new jobs, the running ones finish, then the database connections close.
await pingDatabase(database()); // fail fast on a wrong DATABASE_URL
lowerWorkerPriority(); // app servers on the same machine answer webhooks first
const worker = startWorker();
await worker.stopped;
await closeAppDatabase();
process.exit(0);
