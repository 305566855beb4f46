import { serveUntilStopped } from "./child-protocol";

// Child process of the intake bench: a dedicated job worker (what `npm run worker` runs) on Bull/Redis and
// the run's database (REDIS_URL, DATABASE_URL, QUEUE_PREFIX from the parent). Reports READY 0 once started.

const { startWorker } = await import("../../app/.server/worker/start-worker");
const { closeAppDatabase } = await import("../../app/.server/db/database");
const { lowerWorkerPriority } = await import("../../app/.server/worker/worker-priority");
lowerWorkerPriority(); // as worker-main.ts does
const worker = startWorker({ quiet: true, handleSignals: false });
serveUntilStopped(0, async () => {
  await worker.stop("bench done");
  await closeAppDatabase();
});
