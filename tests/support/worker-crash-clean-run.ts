// The clean reference run of tests/integration/worker-crash.bull.test.ts, in its own process so it gets its
// own database: DATABASE_URL=<fresh copy of the template> node --import tsx tests/support/worker-crash-clean-run.ts
// Seeds the same catalogue, sends the same webhook stream through receiveWebhook into the in-process queue,
// then runs the real job set (startWorker) on that queue until it is idle. No kills, no Redis. Prints one
// JSON line: { ok, ms, failedByName } (failed jobs per job name; apply-routing fails for want of a Shopify
// session in both runs).

delete process.env.REDIS_URL; // before env() is first read: the in-process driver
const started = Date.now();
const { queue, setQueue } = await import("~/.server/jobs/queue");
const { InProcessQueue } = await import("~/.server/queues/in-process-queue");
const { startWorker } = await import("~/.server/worker/start-worker");
const { crashScenario, deliverCrashEvents, seedCrashCatalogue } = await import("./worker-crash-scenario");

try {
  setQueue(new InProcessQueue());
  await seedCrashCatalogue();
  const { events } = crashScenario();
  await deliverCrashEvents(events); // one at a time, in stream order, before any job runs
  const worker = startWorker({ quiet: true, handleSignals: false });
  await queue().whenIdle(150_000);
  const failedByName: Record<string, number> = {};
  for (const f of await queue().failed(undefined, 100_000)) failedByName[f.name] = (failedByName[f.name] ?? 0) + 1;
  await worker.stop("reference run done");
  process.stdout.write(`${JSON.stringify({ ok: true, ms: Date.now() - started, events: events.length, failedByName })}\n`);
  process.exit(0);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: error instanceof Error ? error.stack : String(error) })}\n`);
  process.exit(1);
}

export {}; // a module (top-level await)
