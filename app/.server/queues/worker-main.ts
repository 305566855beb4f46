import { dbReady } from "../db/client";
import { startWorker } from "../worker/start-worker";

// `npm run worker`: the production worker process (pair it with REDIS_URL so the web process enqueues
// into Redis). Stops gracefully on SIGTERM/SIGINT.
await dbReady();
const worker = startWorker();
await worker.stopped;
process.exit(0);
