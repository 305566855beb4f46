// The in-order reference run of tests/integration/webhook-replay.test.ts, in its own process (the second
// core) and its own database, while the test process replays the same stream chaotically:
//   DATABASE_URL=<fresh copy of the template> REPLAY_REFERENCE_OUT=<file> node --import tsx tests/support/webhook-replay-reference.ts
// Generates the same 10,000 events from the Shopify stand-in, seeds the same shop, serves the app's webhook
// routes over HTTP, runs the real job set in-process and delivers every event once, in order, one at a
// time (each processed and the queue idle before the next). Writes a ReferenceResult as JSON to
// REPLAY_REFERENCE_OUT; exit code 0 when it got that far.

import { writeFileSync } from "node:fs";

delete process.env.REDIS_URL; // the in-process queue
const started = performance.now();
const cpuStarted = process.cpuUsage();
const out = process.env.REPLAY_REFERENCE_OUT;
if (!out) throw new Error("REPLAY_REFERENCE_OUT is not set");

const scenario = await import("./webhook-replay-scenario");
const { seedDemoShop } = await import("../../sandbox/seed-demo");
const { JOB } = await import("~/.server/jobs/queue");

const ms: Record<string, number> = {};
const phase = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
  const t = performance.now();
  try {
    return await fn();
  } finally {
    ms[name] = Math.round(performance.now() - t);
  }
};

const seed = scenario.replayShopSeed();
const app = await scenario.startAppServer();
const client = scenario.nodeHttpFetch();
const { sandbox, events } = await phase("generate", () => scenario.generateScenario(seed, app.url));
try {
  await phase("seed", () => seedDemoShop(seed));
  const run = scenario.startRun();
  const sender = scenario.replaySender(app.url, client);
  await phase("in order", () => scenario.deliverInOrder(sender, run, events));
  await run.queue.whenIdle(60_000);
  const snapshot = await phase("snapshot", () => scenario.snapshot());
  const failedProcessWebhookJobs = (await run.queue.failed(JOB.processWebhook, 100_000)).length;
  await run.worker.stop("reference run done");
  const used = process.cpuUsage(cpuStarted);
  const result: import("./webhook-replay-scenario").ReferenceResult = {
    fingerprint: scenario.eventsFingerprint(events),
    snapshot,
    unexpectedJobFailures: scenario.unexpectedJobFailures(run),
    failedProcessWebhookJobs,
    nonOkPosts: sender.log.filter((a) => a.status !== 200).length,
    posts: sender.log.length,
    ms: { ...ms, total: Math.round(performance.now() - started) },
    cpuMs: Math.round((used.user + used.system) / 1000),
  };
  writeFileSync(out, JSON.stringify(result));
} finally {
  await sandbox.close();
  client.close();
  await app.close();
}
process.exit(0);

export {}; // a module (top-level await)
