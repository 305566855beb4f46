import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrate } from "~/.server/db/engine/migrate";
import { openDatabase } from "~/.server/db/engine/open-database";
import { createRng } from "../../sandbox/shopify/prng";
import { REPLAY_LANES, type ExpectedOrders, type ReferenceResult, type ReplayEvent, type Snapshot } from "./webhook-replay-scenario";
import { freshDatabase } from "./test-database";

// The chaotic delivery of the 10,000-event replay and the checks on its outcome, shared by
// tests/integration/webhook-replay.test.ts (one process, in-process worker) and
// tests/multiprocess/multi-process.test.ts (2 app servers, 2 worker processes, Bull, PostgreSQL): the plan
// (duplicates, reorders, retry bursts, lanes), its delivery with the lane gate, the invariants every run must
// meet, the comparison with the in-order reference run, and that reference run in a child process. See the
// header of webhook-replay.test.ts for what is compared and why.

export const IN_FLIGHT = 16;
export const DUPLICATE_FRACTION = 0.1;
export const REORDER_FRACTION = 0.05;
export const BURST_FRACTION = 0.03;
const PLAN_SEED = "webhook-replay-1:plan";

export interface PlanItem {
  event: ReplayEvent;
  copy: "primary" | "duplicate";
  /** Posts sent at once with the same webhook id (a retry burst); 1 = a single post. */
  burst: number;
  /** Can move stock: sent only after the lane's previous gated item has been processed. */
  gated: boolean;
}

/** Per lane: the order of delivery, with the reorders, duplicates and bursts placed deterministically. */
export function chaosPlan(events: ReplayEvent[]): { lanes: PlanItem[][]; stats: Record<string, number> } {
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
export function limiter(max: number) {
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

export interface ChaoticDelivery {
  /** One signed post of the event with this webhook id; anything but 200 rejects. */
  post(event: ReplayEvent, webhookId: string): Promise<void>;
  /** Resolves once the event has been processed (its stock effects committed); rejects if it never is. */
  processed(eventId: string): Promise<void>;
  /** Posts in flight at most (default IN_FLIGHT). */
  inFlight?: number;
}

/**
 * Delivers the plan: the lanes at once, at most `inFlight` posts at a time; within a lane each gated item
 * waits until the lane's previous gated item has been processed; duplicates go any time after the first copy
 * of their event was answered; a burst is `burst` posts at once with one webhook id.
 */
export async function deliverChaotically(lanes: PlanItem[][], delivery: ChaoticDelivery): Promise<{ posts: number; mostInFlight: number }> {
  const slot = limiter(delivery.inFlight ?? IN_FLIGHT);
  const answered = new Map<string, Promise<void>>(); // event id → its first delivery answered
  let posts = 0;
  const send = (event: ReplayEvent, webhookId: string) => {
    posts += 1;
    return slot(() => delivery.post(event, webhookId));
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
          lastGated = delivery.processed(event.eventId);
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
export function invariantViolations(s: Snapshot, expected: ExpectedOrders, events: ReplayEvent[], seeded: Record<string, number>): string[] {
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
export function differences(replay: Snapshot, reference: Snapshot): string[] {
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

export const head = (list: string[], n = 12) => (list.length <= n ? list : [...list.slice(0, n), `… and ${list.length - n} more`]);
export const countBy = <T>(items: T[], key: (item: T) => string) => items.reduce<Record<string, number>>((acc, item) => ((acc[key(item)] = (acc[key(item)] ?? 0) + 1), acc), {});

// ---------------------------------------------------------------------------------------------------
// The in-order reference run in its own process (tests/support/webhook-replay-reference.ts).

/** A new SQLite file migrated with our migrator (a reference on SQLite while the run itself is on PostgreSQL). */
export async function migratedSqliteDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), `oms-${label}-`));
  const url = `file:${path.join(dir, `${label}.db`)}`;
  const db = openDatabase(url, { checkpointThread: false });
  try {
    await migrate(db);
  } finally {
    await db.close();
  }
  return { url, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

export interface ReferenceRun {
  result: Promise<ReferenceResult>;
  /** Kills the child if it still runs. */
  stop(): void;
  /** Kills the child, drops its database and deletes its folder. */
  cleanup(): Promise<void>;
}

/**
 * Starts the in-order reference run in a child process on a fresh database of its own (default: a copy of the
 * run's migrated template: SQLite, or PostgreSQL under TEST_PG_URL; `database`: one the caller made, dropped
 * by `cleanup` too), with the in-process queue.
 */
export async function startReference(opts: { label: string; timeoutMs: number; database?: { url: string; drop(): Promise<void> } }): Promise<ReferenceRun> {
  const dir = mkdtempSync(path.join(tmpdir(), "oms-replay-ref-"));
  const database = opts.database ?? (await freshDatabase(opts.label)); // its own database
  const out = path.join(dir, "result.json");
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/webhook-replay-reference.ts"], {
    cwd: process.cwd(),
    env: { ...process.env, DATABASE_URL: database.url, REPLAY_REFERENCE_OUT: out },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4_000)));
  const result = new Promise<ReferenceResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), opts.timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(JSON.parse(readFileSync(out, "utf8")) as ReferenceResult);
      else reject(new Error(`reference run exited with ${code ?? signal}${signal === "SIGKILL" ? ` (killed after ${opts.timeoutMs} ms?)` : ""}:\n${stderr}`));
    });
  });
  result.catch(() => {}); // awaited by the caller; a failure elsewhere must not leave it unhandled
  const stop = () => void (child.exitCode === null && child.signalCode === null && child.kill("SIGKILL"));
  return {
    result,
    stop,
    async cleanup() {
      stop();
      await result.catch(() => {});
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
