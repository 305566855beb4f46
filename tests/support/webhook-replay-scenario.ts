import { createHash } from "node:crypto";
import { Agent, createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { database } from "~/.server/db/database";
import { ALL_JOBS } from "~/.server/jobs/definitions";
import { JOB, setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import type { JobDefinition } from "~/.server/queues/job-definition";
import { isTerminalJobError } from "~/.server/queues/queue-port";
import { runWorker, type RunningWorker } from "~/.server/queues/worker-runner";
import * as ordersCancelled from "~/routes/webhooks.orders_cancelled";
import * as ordersCreate from "~/routes/webhooks.orders_create";
import * as ordersUpdated from "~/routes/webhooks.orders_updated";
import { demoShopSeed, type SandboxShopSeed } from "../../sandbox/shopify/demo-catalog";
import { toExactJson } from "../../sandbox/shopify/exact-json";
import { cancelOrder, orderFactory, updateOrder } from "../../sandbox/shopify/order-factory";
import type { RestOrderPayload } from "../../sandbox/shopify/order-payload";
import { createRng } from "../../sandbox/shopify/prng";
import { startShopifySandbox, type ShopifySandbox } from "../../sandbox/shopify/server";
import { WebhookSender } from "../../sandbox/shopify/webhook-sender";

// The scenario of tests/integration/webhook-replay.test.ts, shared by the test process (chaotic replay) and
// tests/support/webhook-replay-reference.ts (the in-order reference run, in its own process and database):
// the shop, the deterministic stream of 10,000 order events from the Shopify stand-in, the app served over
// real HTTP, the worker, in-order delivery and a snapshot of the final state normalised to external ids.
// See the test file's header for what is compared and why.

export const REPLAY_SHOP = "replay-oms.myshopify.com";
export const REPLAY_SEED = "webhook-replay-1";
export const REPLAY_EVENTS = 10_000;
/** Disjoint groups of SKUs; every order takes its lines from one lane (see the test's header). */
export const REPLAY_LANES = 16;
const START = Date.parse("2026-03-02T14:00:00Z");
const PROCESSED_WITHIN_MS = 60_000;

export type EventKind = "create" | "update" | "edit" | "cancel";

export interface ReplayEvent {
  n: number;
  eventId: string;
  webhookId: string;
  topic: "orders/create" | "orders/updated" | "orders/cancelled";
  kind: EventKind;
  orderId: bigint;
  lane: number;
  triggeredAt: string;
  /** A snapshot: the stand-in mutates its stored payload in place. */
  payload: RestOrderPayload;
  /** Generated right after its order's create, and delivered before it in the chaotic replay. */
  overtakes?: boolean;
}

/** The stand-in's demo shop, with daily capacities out of reach (capacity is shared by all orders). */
export function replayShopSeed(): SandboxShopSeed {
  const seed = demoShopSeed(REPLAY_SHOP);
  for (const location of seed.locations) location.dailyCapacity = 1_000_000;
  return seed;
}

/** On hand per `sku@locationExternalId` as seeded. */
export function seededStock(seed: SandboxShopSeed): Record<string, number> {
  const out: Record<string, number> = {};
  for (const product of seed.products) {
    for (const v of product.variants) for (const [locationGid, quantity] of Object.entries(v.stock)) out[`${v.sku}@${locationGid.split("/").pop()}`] = quantity;
  }
  return out;
}

export interface Scenario {
  sandbox: ShopifySandbox;
  events: ReplayEvent[];
  /** The stand-in's final word on every order (it holds the newest payload). */
  expected: ExpectedOrders;
}

export type ExpectedOrders = Record<string, { cancelled: boolean; email: string; updatedAt: string; lines: Record<string, number> }>;

/**
 * Starts the stand-in (its clock driven here: one second per event, so every order has its own created_at
 * and every change a later updated_at) and has it produce the 10,000 events. Deterministic.
 */
export async function generateScenario(seed: SandboxShopSeed, appUrl: string): Promise<Scenario> {
  const clock = { now: START };
  const sandbox = await startShopifySandbox({ apiKey: process.env.SHOPIFY_API_KEY ?? "test-api-key", apiSecret: process.env.SHOPIFY_API_SECRET!, appUrl, shops: [seed], now: () => new Date(clock.now) });
  const events = generateEvents(sandbox, seed, clock);
  const expected: ExpectedOrders = {};
  for (const [id, stored] of sandbox.store.shop(REPLAY_SHOP).orders) {
    const p = stored.payload;
    expected[String(id)] = { cancelled: p.cancelled_at !== null, email: p.email, updatedAt: iso(p.updated_at)!, lines: Object.fromEntries(p.line_items.map((l) => [String(l.id), l.quantity])) };
  }
  return { sandbox, events, expected };
}

function laneSkus(seed: SandboxShopSeed): string[][] {
  const rng = createRng(`${REPLAY_SEED}:lanes`);
  const skus = rng.shuffle(seed.products.flatMap((p) => p.variants.map((v) => v.sku)));
  return Array.from({ length: REPLAY_LANES }, (_, lane) => skus.filter((_, i) => i % REPLAY_LANES === lane));
}

function generateEvents(sandbox: ShopifySandbox, seed: SandboxShopSeed, clock: { now: number }): ReplayEvent[] {
  const rng = createRng(`${REPLAY_SEED}:events`);
  const lanes = laneSkus(seed);
  const factory = orderFactory(sandbox.store, REPLAY_SHOP, REPLAY_SEED);
  const events: ReplayEvent[] = [];
  const open: bigint[] = [];
  const laneOf = new Map<bigint, number>();
  const tick = () => (clock.now += 1000);
  const push = (kind: EventKind, payload: RestOrderPayload, overtakes = false) => {
    const n = events.length + 1;
    const id = String(n).padStart(5, "0");
    events.push({
      n, eventId: `replay-evt-${id}`, webhookId: `replay-wh-${id}`, kind, topic: kind === "create" ? "orders/create" : kind === "cancel" ? "orders/cancelled" : "orders/updated",
      orderId: payload.id, lane: laneOf.get(payload.id)!, triggeredAt: new Date(clock.now).toISOString(), payload: structuredClone(payload), ...(overtakes ? { overtakes } : {}),
    });
  };
  const metadataUpdate = (id: bigint) => {
    const n = events.length + 1;
    return updateOrder(sandbox.store, REPLAY_SHOP, id, rng.chance(0.5) ? { email: `buyer.${n}@example.com` } : { note: `note ${n}`, tags: `replay,t${n % 7}` });
  };
  /**
   * A line edit: one line's quantity ±1. The stand-in's updateOrder cannot change lines, so the stored
   * payload is edited here; `quantity` is what the app reads, `current_quantity` is kept in step.
   */
  const lineEdit = (id: bigint) => {
    const payload = updateOrder(sandbox.store, REPLAY_SHOP, id, { note: `edited ${events.length + 1}` });
    const line = rng.pick(payload.line_items);
    const quantity = line.quantity === 1 ? 2 : line.quantity + (rng.chance(0.5) ? 1 : -1);
    line.quantity = line.current_quantity = line.fulfillable_quantity = quantity;
    return payload;
  };

  while (events.length < REPLAY_EVENTS) {
    tick();
    const roll = rng.next();
    if (roll < 0.7 || open.length < 50) {
      const lane = rng.int(0, REPLAY_LANES - 1);
      const skus = rng.shuffle([...lanes[lane]]);
      const count = Math.min(skus.length, rng.weighted([1, 2, 3], [60, 30, 10]));
      const created = factory.create({ lines: skus.slice(0, count).map((sku) => ({ sku, quantity: rng.weighted([1, 2, 3], [75, 20, 5]) })) });
      laneOf.set(created.id, lane);
      push("create", created);
      // A follow-up generated back to back (a customer changing their mind right after checkout): the
      // chaotic replay delivers it before the create.
      const follow = rng.next();
      if (follow < 0.031 && events.length < REPLAY_EVENTS) {
        tick();
        if (follow < 0.015) push("update", metadataUpdate(created.id), true);
        else if (follow < 0.021) push("edit", lineEdit(created.id), true);
        else {
          push("cancel", cancelOrder(sandbox.store, REPLAY_SHOP, created.id), true);
          continue; // cancelled: no longer open
        }
      }
      open.push(created.id);
    } else if (roll < 0.83) {
      push("update", metadataUpdate(open[rng.int(0, open.length - 1)]));
    } else if (roll < 0.89) {
      push("edit", lineEdit(open[rng.int(0, open.length - 1)]));
    } else {
      const [id] = open.splice(rng.int(0, open.length - 1), 1);
      push("cancel", cancelOrder(sandbox.store, REPLAY_SHOP, id));
    }
  }
  return events;
}

/** One hash over every event's id, topic and exact body: both processes must have the same stream. */
export function eventsFingerprint(events: ReplayEvent[]): string {
  const hash = createHash("sha256");
  for (const e of events) hash.update(`${e.eventId}\u0000${e.topic}\u0000${e.lane}\u0000${toExactJson(e.payload)}\u0000`);
  return hash.digest("hex");
}

// ---------------------------------------------------------------------------------------------------
// The app over real HTTP: POST /webhooks/<topic> → the route module's action with a WHATWG Request.

type RouteModule = { action: (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response> };
const ROUTES: Record<string, RouteModule> = {
  "/webhooks/orders_create": ordersCreate as RouteModule,
  "/webhooks/orders_updated": ordersUpdated as RouteModule,
  "/webhooks/orders_cancelled": ordersCancelled as RouteModule,
};

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

export async function startAppServer(): Promise<AppServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      void (async () => {
        try {
          const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
          const route = req.method === "POST" ? ROUTES[url.pathname] : undefined;
          if (!route) return void res.writeHead(404).end();
          const headers = new Headers();
          for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
          const response = await route.action({ request: new Request(url, { method: "POST", headers, body: Buffer.concat(chunks) }), params: {}, context: {} });
          res.writeHead(response.status, Object.fromEntries(response.headers));
          res.end(Buffer.from(await response.arrayBuffer()));
        } catch (error) {
          res.writeHead(500).end(String(error));
        }
      })();
    });
  });
  // Shopify's client keeps connections alive; so does ours: never close an idle one under a lane that
  // waits a few seconds on a busy machine (a request racing the close gets ECONNRESET).
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * `fetch` for the WebhookSender over node:http with kept-alive sockets: the same bytes on the wire for a
 * fraction of undici's per-request CPU (the test sends ~22,000 requests on a 2-core box).
 */
export function nodeHttpFetch(): { fetch: typeof fetch; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const send = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(String(input), { method: init.method ?? "GET", headers: init.headers as Record<string, string>, agent, signal: init.signal ?? undefined }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve(new Response(chunks.length > 0 ? Buffer.concat(chunks) : null, { status: res.statusCode ?? 0 })));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(init.body as string | undefined);
    });
  return { fetch: send as typeof fetch, close: () => agent.destroy() };
}

export function replaySender(appUrl: string, client: { fetch: typeof fetch }): WebhookSender {
  return new WebhookSender({ appUrl, apiSecret: process.env.SHOPIFY_API_SECRET!, fetch: client.fetch });
}

/** One signed post of an event; anything but 200 throws. */
export async function post(sender: WebhookSender, event: ReplayEvent, webhookId: string): Promise<void> {
  const result = await sender.deliver({ shop: REPLAY_SHOP, topic: event.topic, payload: event.payload, eventId: event.eventId, webhookId, triggeredAt: event.triggeredAt });
  const attempt = result.attempts[0];
  if (attempt?.status !== 200) throw new Error(`${event.eventId} (${event.topic}) answered ${attempt?.status}: ${attempt?.error ?? ""}`);
}

// ---------------------------------------------------------------------------------------------------
// A run: the in-process queue and the real job set; the process-webhook job is wrapped only to tell
// the caller when an event has been processed.

export interface Run {
  queue: InProcessQueue;
  worker: RunningWorker;
  /** Resolves once the event's process-webhook job has succeeded; rejects if it fails for good or takes over a minute. */
  processed(eventId: string): Promise<void>;
  /** Failed job runs as the worker logged them. */
  jobFailures: { job: string; error: string }[];
}

class Deferred {
  resolve!: () => void;
  reject!: (error: Error) => void;
  readonly promise = new Promise<void>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });
  constructor() {
    this.promise.catch(() => {}); // observed by whoever awaits it
  }
}

export function startRun(): Run {
  const queue = new InProcessQueue({ failedKept: 100_000, completedKept: 100_000 });
  setQueue(queue);
  const waiters = new Map<string, Deferred>();
  const waiter = (eventId: string) => {
    let d = waiters.get(eventId);
    if (!d) waiters.set(eventId, (d = new Deferred()));
    return d;
  };
  const jobs = ALL_JOBS.map((job): JobDefinition =>
    job.name !== JOB.processWebhook
      ? job
      : {
          ...job,
          async perform(ctx) {
            const eventId = ctx.id.slice(`${REPLAY_SHOP}:`.length); // job id = shop:eventId
            try {
              await job.perform(ctx);
            } catch (error) {
              if (isTerminalJobError(error) || ctx.attempt >= 8) waiter(eventId).reject(error as Error);
              throw error;
            }
            waiter(eventId).resolve();
          },
        },
  );
  const jobFailures: Run["jobFailures"] = [];
  const log = {
    info() {},
    warn(_message: string, fields?: Record<string, unknown>) {
      jobFailures.push({ job: String(fields?.job), error: String(fields?.error) });
    },
    error(message: string) {
      jobFailures.push({ job: "worker", error: message });
    },
  };
  const worker = runWorker({ queue, jobs, log, signals: [] });
  const processed = (eventId: string) => {
    const { promise } = waiter(eventId);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${eventId} not processed within 60 s`)), PROCESSED_WITHIN_MS)));
    return Promise.race([promise, late]).finally(() => clearTimeout(timer));
  };
  return { queue, worker, processed, jobFailures };
}

/** The reference: every event once, in the order the stand-in produced it, the queue idle before the next. */
export async function deliverInOrder(sender: WebhookSender, run: Run, events: ReplayEvent[]): Promise<void> {
  for (const event of events) {
    await post(sender, event, `${event.webhookId}-ref`);
    await run.processed(event.eventId);
    await run.queue.whenIdle(30_000);
  }
}

/** Job failures other than apply-routing's for want of a Shopify session (none expected). */
export function unexpectedJobFailures(run: Run): Run["jobFailures"] {
  return run.jobFailures.filter((f) => !(f.job === JOB.applyRouting && /No usable offline session/.test(f.error)));
}

// ---------------------------------------------------------------------------------------------------
// The final state, normalised to external ids / SKUs / location external ids (plain JSON).

export interface LineState {
  sku: string | null;
  quantity: number;
  /** Open allocations: `reserved@<location external id>` / `backordered@-` → units. */
  open: Record<string, number>;
}

export interface OrderState {
  status: string;
  name: string;
  email: string | null;
  financialStatus: string | null;
  totalMinor: number;
  placedAt: string;
  externalUpdatedAt: string | null;
  cancelledAt: string | null;
  lines: Record<string, LineState>;
}

export interface Snapshot {
  orders: Record<string, OrderState>;
  orderRows: number;
  /** Per `sku@location`. */
  levels: Record<string, { onHand: number; reserved: number; safety: number; incoming: number }>;
  /** Σ delta per `sku@location#bucket`. */
  ledger: Record<string, number>;
  /** Σ reserved allocations per `sku@location`. */
  reservedAllocations: Record<string, number>;
  inbox: Record<string, { topic: string; status: string; attempts: number; rows: number }>;
  /** Audit actions → count (history; reported, not compared). */
  audit: Record<string, number>;
}

export const iso = (value: string | number | null) => (value === null ? null : new Date(value).toISOString());

export async function snapshot(): Promise<Snapshot> {
  const db = database();
  const { id: shopId } = (await db.get<{ id: string }>(`SELECT "id" FROM "Shop" WHERE "domain" = ?`, REPLAY_SHOP))!;
  const orders: Snapshot["orders"] = {};
  const rows = await db.all<Omit<OrderState, "lines"> & { externalId: string }>(`SELECT "externalId","status","name","email","financialStatus","totalMinor","placedAt","externalUpdatedAt","cancelledAt" FROM "Order" WHERE "shopId" = ? ORDER BY "externalId"`, shopId);
  for (const { externalId, ...o } of rows) {
    orders[externalId] = { ...o, placedAt: iso(o.placedAt)!, externalUpdatedAt: iso(o.externalUpdatedAt), cancelledAt: iso(o.cancelledAt), lines: {} };
  }
  for (const l of await db.all<{ order: string; line: string; sku: string | null; quantity: number }>(`SELECT o."externalId" AS "order", l."externalId" AS "line", l."sku" AS "sku", l."quantity" AS "quantity" FROM "OrderLine" l JOIN "Order" o ON o."id" = l."orderId" WHERE l."shopId" = ? ORDER BY 1, 2`, shopId)) {
    orders[l.order].lines[l.line] = { sku: l.sku, quantity: l.quantity, open: {} };
  }
  const reservedAllocations: Record<string, number> = {};
  const allocations = await db.all<{ order: string; line: string; status: string; location: string | null; quantity: number }>(
    `SELECT o."externalId" AS "order", l."externalId" AS "line", a."status" AS "status", loc."externalId" AS "location", SUM(a."quantity") AS "quantity"
      FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId" JOIN "Order" o ON o."id" = l."orderId" LEFT JOIN "Location" loc ON loc."id" = a."locationId"
      WHERE a."shopId" = ? AND a."status" <> 'released' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    shopId,
  );
  for (const a of allocations) {
    const line = orders[a.order].lines[a.line];
    line.open[`${a.status}@${a.location ?? "-"}`] = a.quantity;
    if (a.status === "reserved") {
      const key = `${line.sku}@${a.location}`;
      reservedAllocations[key] = (reservedAllocations[key] ?? 0) + a.quantity;
    }
  }
  const levels: Snapshot["levels"] = {};
  for (const l of await db.all<{ sku: string; location: string; onHand: number; reserved: number; safety: number; incoming: number }>(
    `SELECT v."sku" AS "sku", loc."externalId" AS "location", lv."onHand" AS "onHand", lv."reserved" AS "reserved", lv."safety" AS "safety", lv."incoming" AS "incoming"
     FROM "InventoryLevel" lv JOIN "Variant" v ON v."id" = lv."variantId" JOIN "Location" loc ON loc."id" = lv."locationId" WHERE lv."shopId" = ? ORDER BY 1, 2`,
    shopId,
  )) {
    levels[`${l.sku}@${l.location}`] = { onHand: l.onHand, reserved: l.reserved, safety: l.safety, incoming: l.incoming };
  }
  const ledger: Record<string, number> = {};
  for (const e of await db.all<{ sku: string; location: string; bucket: string; delta: number }>(
    `SELECT v."sku" AS "sku", loc."externalId" AS "location", e."bucket" AS "bucket", SUM(e."delta") AS "delta" FROM "InventoryLedgerEntry" e JOIN "Variant" v ON v."id" = e."variantId" JOIN "Location" loc ON loc."id" = e."locationId"
     WHERE e."shopId" = ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    shopId,
  )) {
    ledger[`${e.sku}@${e.location}#${e.bucket}`] = e.delta;
  }
  const inbox: Snapshot["inbox"] = {};
  for (const r of await db.all<{ eventId: string; topic: string; status: string; attempts: number; rows: number }>(
    `SELECT "eventId", MIN("topic") AS "topic", MIN("status") AS "status", MAX("attempts") AS "attempts", COUNT(*) AS "rows" FROM "WebhookInbox" WHERE "shopDomain" = ? GROUP BY "eventId" ORDER BY "eventId"`,
    REPLAY_SHOP,
  )) {
    inbox[r.eventId] = { topic: r.topic, status: r.status, attempts: r.attempts, rows: r.rows };
  }
  const audit: Record<string, number> = {};
  for (const a of await db.all<{ action: string; n: number }>(`SELECT "action", COUNT(*) AS "n" FROM "AuditEvent" WHERE "shopId" = ? GROUP BY 1 ORDER BY 1`, shopId)) audit[a.action] = a.n;
  return { orders, orderRows: rows.length, levels, ledger, reservedAllocations, inbox, audit };
}

/** What the reference process writes to REPLAY_REFERENCE_OUT. */
export interface ReferenceResult {
  fingerprint: string;
  snapshot: Snapshot;
  unexpectedJobFailures: Run["jobFailures"];
  failedProcessWebhookJobs: number;
  nonOkPosts: number;
  posts: number;
  ms: Record<string, number>;
  cpuMs: number;
}
