import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seedDemoShop } from "../../sandbox/seed-demo";
import { createRng } from "../../sandbox/shopify/prng";
import type { ShopifySandbox } from "../../sandbox/shopify/server";
import type { WebhookSender } from "../../sandbox/shopify/webhook-sender";
import { JOB } from "~/.server/jobs/queue";
import {
  REPLAY_EVENTS, REPLAY_LANES, eventsFingerprint, generateScenario, nodeHttpFetch, post, replaySender, replayShopSeed, seededStock, snapshot, startAppServer, startRun,
  unexpectedJobFailures, type AppServer, type ExpectedOrders, type ReferenceResult, type ReplayEvent, type Run, type Snapshot,
} from "../support/webhook-replay-scenario";
import { freshDatabase } from "../support/test-database";

// Acceptance: "Replay of 10,000 signed deliveries through the stand-in (10 % duplicates, 5 % reordered,
// retry bursts): every order stored once, no double reservation, final state identical to an in-order
// single delivery."
//
// The app's real webhook routes are served over HTTP on 127.0.0.1:0; the stand-in's WebhookSender signs and
// posts exactly like Shopify (raw exact-JSON body, HMAC, topic/shop/webhook/event id headers); the worker
// runs in-process (ALL_JOBS on an InProcessQueue). 10,000 order events come from the stand-in (its order
// factory, updateOrder, cancelOrder; scenario in tests/support/webhook-replay-scenario.ts). They are played
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

const IN_FLIGHT = 16;
const DUPLICATE_FRACTION = 0.1;
const REORDER_FRACTION = 0.05;
const BURST_FRACTION = 0.03;
const PLAN_SEED = "webhook-replay-1:plan";
const REFERENCE_TIMEOUT_MS = 240_000;

interface PlanItem {
  event: ReplayEvent;
  copy: "primary" | "duplicate";
  /** Posts sent at once with the same webhook id (a retry burst); 1 = a single post. */
  burst: number;
  /** Can move stock: sent only after the lane's previous gated item has been processed. */
  gated: boolean;
}

/** Per lane: the order of delivery, with the reorders, duplicates and bursts placed deterministically. */
function chaosPlan(events: ReplayEvent[]): { lanes: PlanItem[][]; stats: Record<string, number> } {
  const rng = createRng(PLAN_SEED);
  const lanes: PlanItem[][] = Array.from({ length: REPLAY_LANES }, () => []);
  for (const event of events) lanes[event.lane].push({ event, copy: "primary", burst: 1, gated: event.kind !== "update" || event.overtakes === true });
  // 1. An event that overtakes its own create: swap the pair (adjacent in their lane).
  let overtaking = 0;
  for (const plan of lanes) {
    for (let i = 1; i < plan.length; i++) {
      if (!plan[i].event.overtakes) continue;
      if (plan[i - 1].event.orderId !== plan[i].event.orderId || plan[i - 1].event.kind !== "create") throw new Error(`plan: ${plan[i].event.eventId} does not follow its create`);
      [plan[i - 1], plan[i]] = [plan[i], plan[i - 1]];
      overtaking += 1;
    }
  }
  // 2. Metadata updates delivered later than 2–30 of their lane's later events.
  const movable = rng.shuffle(events.filter((e) => e.kind === "update" && !e.overtakes)).slice(0, Math.round(REORDER_FRACTION * events.length) - overtaking);
  for (const event of movable) {
    const plan = lanes[event.lane];
    const from = plan.findIndex((item) => item.event === event);
    const [item] = plan.splice(from, 1);
    plan.splice(Math.min(plan.length, from + rng.int(2, 30)), 0, item);
  }
  // 3. Duplicates: the same event again (same event id, new webhook id), 1–40 lane items later.
  const duplicated = rng.shuffle([...events]).slice(0, Math.round(DUPLICATE_FRACTION * events.length));
  for (const event of duplicated) {
    const plan = lanes[event.lane];
    const at = plan.findIndex((item) => item.event === event);
    plan.splice(Math.min(plan.length, at + 1 + rng.int(0, 39)), 0, { event, copy: "duplicate", burst: 1, gated: false });
  }
  // 4. Retry bursts: 3–4 posts of one delivery at once, same webhook id.
  const bursts = rng.shuffle([...events]).slice(0, Math.round(BURST_FRACTION * events.length));
  let burstPosts = 0;
  for (const event of bursts) {
    const item = lanes[event.lane].find((i) => i.event === event && i.copy === "primary")!;
    item.burst = rng.int(3, 4);
    burstPosts += item.burst;
  }
  return { lanes, stats: { overtaking, delayedUpdates: movable.length, duplicates: duplicated.length, burstEvents: bursts.length, burstPosts } };
}

/** At most `max` calls at once; remembers the most it saw. */
function limiter(max: number) {
  let active = 0;
  let most = 0;
  const waiting: (() => void)[] = [];
  const run = async <T>(fn: () => Promise<T>): Promise<T> => {
    while (active >= max) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    most = Math.max(most, active);
    try {
      return await fn();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
  return Object.assign(run, { most: () => most });
}

async function deliverChaotically(sender: WebhookSender, run: Run, lanes: PlanItem[][]): Promise<{ posts: number; mostInFlight: number }> {
  const slot = limiter(IN_FLIGHT);
  const answered = new Map<string, Promise<void>>(); // event id → its first delivery answered
  let posts = 0;
  const send = (event: ReplayEvent, webhookId: string) => {
    posts += 1;
    return slot(() => post(sender, event, webhookId));
  };
  await Promise.all(
    lanes.map(async (plan) => {
      let lastGated: Promise<void> = Promise.resolve();
      const spawned: Promise<void>[] = [];
      for (const item of plan) {
        await lastGated; // every earlier stock-moving event of this lane has been processed
        const { event } = item;
        if (item.copy === "duplicate") {
          spawned.push(answered.get(event.eventId)!.then(() => send(event, `${event.webhookId}-dup`)));
          continue;
        }
        const sending = Promise.all(Array.from({ length: item.burst }, () => send(event, event.webhookId))).then(() => undefined);
        answered.set(event.eventId, sending);
        if (item.gated) {
          await sending;
          lastGated = run.processed(event.eventId);
        } else {
          spawned.push(sending);
        }
      }
      await lastGated;
      await Promise.all(spawned);
    }),
  );
  return { posts, mostInFlight: slot.most() };
}

// ---------------------------------------------------------------------------------------------------
// Checks

/** Violations of what must hold after any delivery order (empty = fine). */
function invariantViolations(s: Snapshot, expected: ExpectedOrders, events: ReplayEvent[], seeded: Record<string, number>): string[] {
  const out: string[] = [];
  const expectedIds = Object.keys(expected);
  if (s.orderRows !== expectedIds.length) out.push(`${s.orderRows} order rows for ${expectedIds.length} orders created`);
  const waiting = new Set<string>(); // SKUs some open order waits for
  for (const [externalId, want] of Object.entries(expected)) {
    const order = s.orders[externalId];
    if (!order) {
      out.push(`order ${externalId} missing`);
      continue;
    }
    if ((order.status === "cancelled") !== want.cancelled) out.push(`order ${externalId}: status ${order.status}, cancelled in Shopify: ${want.cancelled}`);
    if (order.email !== want.email) out.push(`order ${externalId}: email ${order.email}, newest payload says ${want.email}`);
    if (order.externalUpdatedAt !== want.updatedAt) out.push(`order ${externalId}: updated_at ${order.externalUpdatedAt}, newest is ${want.updatedAt}`);
    if (Object.keys(order.lines).length !== Object.keys(want.lines).length) out.push(`order ${externalId}: ${Object.keys(order.lines).length} lines, payload has ${Object.keys(want.lines).length}`);
    let backordered = false;
    for (const [lineId, quantity] of Object.entries(want.lines)) {
      const line = order.lines[lineId];
      if (!line) {
        out.push(`order ${externalId}: line ${lineId} missing`);
        continue;
      }
      if (line.quantity !== quantity) out.push(`order ${externalId} line ${lineId}: quantity ${line.quantity}, newest payload says ${quantity}`);
      const held = Object.values(line.open).reduce((a, b) => a + b, 0);
      const owed = want.cancelled ? 0 : quantity;
      if (held !== owed) out.push(`order ${externalId} line ${lineId} (${order.status}): holds ${JSON.stringify(line.open)} for ${owed} unit(s)`);
      if (Object.keys(line.open).some((k) => k.startsWith("backordered@"))) {
        backordered = true;
        waiting.add(line.sku ?? "?");
      }
    }
    if (!want.cancelled && order.status !== (backordered ? "backordered" : "reserved")) out.push(`order ${externalId}: status ${order.status}, ${backordered ? "with" : "without"} backordered units`);
  }
  for (const [key, level] of Object.entries(s.levels)) {
    const sku = key.split("@")[0];
    const free = level.onHand - level.reserved - level.safety;
    if (level.reserved < 0 || free < 0) out.push(`${key}: reserved ${level.reserved} of ${level.onHand} on hand (safety ${level.safety})`);
    if ((s.reservedAllocations[key] ?? 0) !== level.reserved) out.push(`${key}: level reserves ${level.reserved}, reserved allocations sum to ${s.reservedAllocations[key] ?? 0}`);
    if ((s.ledger[`${key}#reserved`] ?? 0) !== level.reserved) out.push(`${key}: Σ reserved ledger ${s.ledger[`${key}#reserved`] ?? 0} ≠ level ${level.reserved}`);
    if ((s.ledger[`${key}#on_hand`] ?? 0) !== level.onHand) out.push(`${key}: Σ on-hand ledger ${s.ledger[`${key}#on_hand`] ?? 0} ≠ level ${level.onHand}`);
    if (level.onHand !== seeded[key]) out.push(`${key}: on hand ${level.onHand}, seeded ${seeded[key]}`);
    if (free > 0 && waiting.has(sku)) out.push(`${key}: ${free} free while orders wait for ${sku}`);
  }
  if (Object.keys(s.levels).length !== Object.keys(seeded).length) out.push(`${Object.keys(s.levels).length} levels, ${Object.keys(seeded).length} seeded`);
  for (const key of Object.keys(s.reservedAllocations)) if (!s.levels[key]) out.push(`${key}: reserved allocations without a level`);
  const ids = new Set(events.map((e) => e.eventId));
  if (Object.keys(s.inbox).length !== ids.size) out.push(`${Object.keys(s.inbox).length} inbox events for ${ids.size} sent`);
  for (const [eventId, row] of Object.entries(s.inbox)) {
    if (!ids.has(eventId)) out.push(`inbox has an event never sent: ${eventId}`);
    if (row.rows !== 1 || row.status !== "processed" || row.attempts !== 1) out.push(`inbox ${eventId}: ${row.rows} row(s), ${row.status}, attempts ${row.attempts}`);
  }
  return out;
}

/** Differences between the replay and the reference where compared (empty = identical). */
function differences(replay: Snapshot, reference: Snapshot): string[] {
  const out: string[] = [];
  const text = (value: unknown) => JSON.stringify(value);
  const compare = <T>(what: string, a: Record<string, T>, b: Record<string, T>) => {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (text(a[key]) !== text(b[key])) out.push(`${what} ${key}:\n    replay    ${text(a[key])}\n    in order  ${text(b[key])}`);
    }
  };
  if (replay.orderRows !== reference.orderRows) out.push(`order rows: replay ${replay.orderRows}, in order ${reference.orderRows}`);
  compare("order", replay.orders, reference.orders);
  compare("level", replay.levels, reference.levels);
  compare("ledger", replay.ledger, reference.ledger);
  compare("inbox", replay.inbox, reference.inbox);
  return out;
}

const head = (list: string[], n = 12) => (list.length <= n ? list : [...list.slice(0, n), `… and ${list.length - n} more`]);
const countBy = <T>(items: T[], key: (item: T) => string) => items.reduce<Record<string, number>>((acc, item) => ((acc[key(item)] = (acc[key(item)] ?? 0) + 1), acc), {});

// ---------------------------------------------------------------------------------------------------
// The reference run in its own process.

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

async function startReference(): Promise<{ result: Promise<ReferenceResult>; stop(): void }> {
  const dir = mkdtempSync(path.join(tmpdir(), "oms-replay-ref-"));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const database = await freshDatabase("replay_ref"); // its own database, of the run's dialect
  cleanups.push(database.drop);
  const out = path.join(dir, "result.json");
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/webhook-replay-reference.ts"], {
    cwd: process.cwd(),
    env: { ...process.env, DATABASE_URL: database.url, REPLAY_REFERENCE_OUT: out },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const result = new Promise<ReferenceResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), REFERENCE_TIMEOUT_MS);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(readFileSync(out, "utf8")) as ReferenceResult);
      else reject(new Error(`reference run exited with ${code ?? signal}:\n${stderr}`));
    });
  });
  result.catch(() => {}); // awaited below; a failure of the chaotic run must not leave it unhandled
  return { result, stop: () => void (child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")) };
}

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

    const reference = await startReference();
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
      const { posts, mostInFlight } = await phase("replay", () => deliverChaotically(sender, run!, lanes));
      await run.queue.whenIdle(60_000);
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
  }, 300_000);
});
