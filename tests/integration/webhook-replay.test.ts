import { afterAll, describe, expect, it } from "vitest";
import { seedDemoShop } from "../../sandbox/seed-demo";
import type { ShopifySandbox } from "../../sandbox/shopify/server";
import { JOB } from "~/.server/jobs/queue";
import {
  REPLAY_EVENTS, eventsFingerprint, generateScenario, nodeHttpFetch, post, replaySender, replayShopSeed, seededStock, snapshot, startAppServer, startRun,
  unexpectedJobFailures, type AppServer, type Run, type Snapshot,
} from "../support/webhook-replay-scenario";
import { DUPLICATE_FRACTION, REORDER_FRACTION, chaosPlan, countBy, deliverChaotically, differences, head, invariantViolations, startReference } from "../support/webhook-replay-chaos";

// Acceptance: "Replay of 10,000 signed deliveries through the stand-in (10 % duplicates, 5 % reordered,
// retry bursts): every order stored once, no double reservation, final state identical to an in-order
// single delivery."
//
// The app's real webhook routes are served over HTTP on 127.0.0.1:0; the stand-in's WebhookSender signs and
// posts exactly like Shopify (raw exact-JSON body, HMAC, topic/shop/webhook/event id headers); the worker
// runs in-process (ALL_JOBS on an InProcessQueue). 10,000 order events come from the stand-in (its order
// factory, updateOrder, cancelOrder; scenario in tests/support/webhook-replay-scenario.ts; the delivery plan,
// the checks and the reference process in tests/support/webhook-replay-chaos.ts, shared with the multi-process
// test tests/multiprocess/multi-process.test.ts). They are played
// twice, each time into a fresh database seeded like the stand-in's shop (sandbox/seed-demo.ts):
//   1. chaotic, here: 16 posts in flight, 10 % of events delivered a second time (same event id, new webhook
//      id), 5 % reordered, 3 % sent as retry bursts (3–4 posts with the same webhook id at once);
//   2. reference, at the same time in a child process (tests/support/webhook-replay-reference.ts: the second
//      core, its own database): every event once, in the order the stand-in produced them, one at a time,
//      each processed and the queue idle before the next is sent.
// Then the final states are compared by external ids / SKUs / location external ids.
//
// Why strong equality holds by construction (and what is *not* claimed):
// - Reservation is first come, first served: when two open orders compete for the last unit, who gets it
//   depends on which is processed first, and with 16 posts in flight and the worker running 4 jobs at once
//   (their ingests group-committed) the processing order of concurrent events is not fixed. So the catalogue
//   is split into 16 lanes of disjoint SKUs and every order takes its lines from one lane: orders of
//   different lanes never share stock. Within a lane, each event that can move stock (create, line edit,
//   cancel, or any event that will be its order's first) is sent only once the lane's previous such event
//   has been processed. Everything else flies freely beside it: the 16 lanes at once, metadata updates,
//   duplicates (any time after the first copy was answered) and retry bursts.
// - Location capacity (default rule `capacity`: orders per location per day) is shared by *all* orders, so
//   it would couple the lanes: the seed's daily capacities are raised out of reach (both runs).
// - The 5 % reordered events are ones whose late arrival must not change the outcome:
//   * an orders/updated, a line edit or an orders/cancelled that overtakes its own orders/create. The pair
//     is generated back to back (nothing of that lane between them), so the first to arrive creates the
//     order from a newer payload, the create is then stale; a cancel first leaves a cancelled order that
//     never held stock — the same stock picture as create-then-cancel, because the pipeline never leaves
//     free stock of a SKU while an order waits for it (asserted below), so the units the create took and
//     the cancel gave back go to no one else;
//   * a metadata update delivered 2–30 lane events later (and after whatever other lanes send meanwhile):
//     stale and dropped if a newer payload of its order got there first, else still the newest.
//   On top of those, deliveries of different lanes overtake each other all the time (not counted).
// - The stand-in's clock moves one second per event, so no two changes of an order share an updated_at.
//   (Shopify's REST timestamps have whole seconds, and the app drops a payload whose updated_at equals the
//   stored one as stale — ChannelOrder.isNewer is a strict ">" — so two changes within one second would end
//   by arrival order, not by content: a limitation this test does not exercise.)
// - Compared: orders (count, each exactly once; status, name, email, money, timestamps), lines (SKU,
//   quantity), per line the *open* allocations (reserved / backordered) grouped by (status, location) with
//   quantities, inventory levels (on hand, reserved, safety, incoming) per SKU × location, ledger sums per
//   bucket, the inbox (one row per event id, status, attempts). Not compared: released allocations, routing
//   decisions, audit rows and per-day location load — history that legitimately differs when a cancel or
//   edit overtakes its create (the order never reserved, or allocated once instead of allocate-release-
//   allocate).
// - Checked on each run by itself, whatever the delivery order: every order stored once, with the newest
//   payload's email, updated_at, lines and cancellation; every open line's reserved + backordered units =
//   its quantity, a cancelled order holds nothing (no double reservation, nothing lost); reserved per
//   SKU × location = Σ reserved allocations = Σ reserved ledger deltas; 0 ≤ reserved ≤ on hand − safety; on
//   hand = seeded (nothing ships) = Σ on-hand ledger deltas; no free stock of a SKU while an order waits for
//   it; one inbox row per event id, processed, attempts = 1 (its handler succeeded once, never re-run).
// Apply-routing jobs fail terminally (no Shopify session is stored): expected, and they write nothing.

const REFERENCE_TIMEOUT_MS = 240_000;

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

// ---------------------------------------------------------------------------------------------------

describe("webhook replay through the Shopify stand-in", () => {
  it(`${REPLAY_EVENTS} events with 10 % duplicates, 5 % reordered and retry bursts: every order once, no double reservation, same final state as in-order single delivery`, async () => {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const ms: Record<string, number> = {};
    const phase = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
      const t = performance.now();
      try {
        return await fn();
      } finally {
        ms[name] = Math.round(performance.now() - t);
      }
    };

    const reference = await startReference({ label: "replay_ref", timeoutMs: REFERENCE_TIMEOUT_MS });
    cleanups.push(reference.cleanup);
    const seed = replayShopSeed();
    const client = nodeHttpFetch();
    let app: AppServer | undefined;
    let sandbox: ShopifySandbox | undefined;
    let run: Run | undefined;
    try {
      app = await startAppServer();
      const scenario = await phase("generate", () => generateScenario(seed, app!.url));
      sandbox = scenario.sandbox;
      const { events, expected } = scenario;
      const { lanes, stats } = chaosPlan(events);
      expect(events).toHaveLength(REPLAY_EVENTS);
      expect(new Set(events.map((e) => e.eventId)).size).toBe(REPLAY_EVENTS);
      expect(stats.overtaking + stats.delayedUpdates).toBe(REORDER_FRACTION * REPLAY_EVENTS);
      expect(stats.duplicates).toBe(DUPLICATE_FRACTION * REPLAY_EVENTS);

      await phase("seed", () => seedDemoShop(seed));
      run = startRun();
      const sender = replaySender(app.url, client);
      const { posts, mostInFlight } = await phase("replay", () => deliverChaotically(lanes, { post: (event, webhookId) => post(sender, event, webhookId), processed: (eventId) => run!.processed(eventId) }));
      await run.queue.whenIdle(180_000); // correctness, not speed: a loaded CI box may drain slowly (the bench times it)
      const replayed = await phase("snapshot", () => snapshot());
      const replayFailedJobs = (await run.queue.failed(JOB.processWebhook, 100_000)).length;
      const replayFailedApplyRouting = (await run.queue.failed(JOB.applyRouting, 100_000)).length;
      const ref = await phase("wait for reference", () => reference.result);
      const used = process.cpuUsage(cpuStarted);

      const statuses = (s: Snapshot) => countBy(Object.values(s.orders), (o) => o.status);
      console.info(
        `[webhook-replay] events ${JSON.stringify(countBy(events, (e) => e.kind + (e.overtakes ? " overtaking its create" : "")))}; plan ${JSON.stringify(stats)}; ` +
          `posts: replay ${posts} (at most ${mostInFlight} in flight), in order ${ref.posts}; apply-routing jobs failed (no session): ${replayFailedApplyRouting}; orders ${JSON.stringify(statuses(ref.snapshot))}; audit ${JSON.stringify(ref.snapshot.audit)}; ` +
          `ms: this process ${JSON.stringify({ ...ms, total: Math.round(performance.now() - started), cpu: Math.round((used.user + used.system) / 1000) })}, reference process ${JSON.stringify({ ...ref.ms, cpu: ref.cpuMs })}`,
      );

      // Both processes played the very same stream.
      expect(ref.fingerprint).toBe(eventsFingerprint(events));
      // Every post answered 200; the only failing jobs are apply-routing's, for want of a Shopify session.
      expect(sender.log.filter((a) => a.status !== 200)).toEqual([]);
      expect(sender.log).toHaveLength(posts);
      expect(ref.nonOkPosts).toBe(0);
      expect(ref.posts).toBe(REPLAY_EVENTS);
      expect(unexpectedJobFailures(run)).toEqual([]);
      expect(ref.unexpectedJobFailures).toEqual([]);
      expect(replayFailedJobs).toBe(0);
      expect(ref.failedProcessWebhookJobs).toBe(0);

      // Each run by itself: every order once, nothing reserved twice or lost, levels = ledger, inbox exactly once.
      const seeded = seededStock(seed);
      expect(head(invariantViolations(replayed, expected, events, seeded))).toEqual([]);
      expect(head(invariantViolations(ref.snapshot, expected, events, seeded))).toEqual([]);
      // The workload exercised backorders, release to the oldest backorders, edits and cancels.
      expect(ref.snapshot.audit["order.backordered"] ?? 0).toBeGreaterThan(1_000);
      expect(ref.snapshot.audit["order.backorder_filled"] ?? 0).toBeGreaterThan(100);
      expect(ref.snapshot.audit["order.edited"] ?? 0).toBeGreaterThan(300);
      expect(statuses(ref.snapshot).reserved ?? 0).toBeGreaterThan(300);
      expect(statuses(ref.snapshot).cancelled ?? 0).toBeGreaterThan(800);

      // And the chaotic replay ends exactly where the in-order single delivery does.
      expect(head(differences(replayed, ref.snapshot))).toEqual([]);
    } finally {
      reference.stop();
      await run?.worker.stop();
      await sandbox?.close();
      client.close();
      await app?.close();
    }
  }, 480_000);
});
