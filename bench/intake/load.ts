import { setMaxListeners } from "node:events";
import http from "node:http";
import type { SignedPool } from "./payloads";

// Loopback load generator for the intake bench: signed orders/create webhooks over keep-alive
// connections, in two shapes.
// - closedLoop: N connections, each sends its next request as soon as the previous one is answered
//   (measures capacity: how many acks per second the server sustains).
// - openLoop: requests are due at a fixed rate whatever the server does; latency runs from the time a
//   request was DUE to the end of its response, so time spent waiting for a free connection counts
//   (no coordinated omission).
// Every request takes the next unused body of the pool and a distinct X-Shopify-Event-Id. Everything is
// bounded: by the pool size, by the phase's end time, and by a hard abort GRACE_MS after it.

const REQUEST_TIMEOUT_MS = 5_000; // Shopify gives up on a webhook after 5 s
const GRACE_MS = 5_000;
const MAX_RAMP_MS = 5_000;

export interface Target {
  port: number;
  path: string;
  shop: string;
  topic: string;
}

/** Index of the next unused pool entry; shared by the phases of one run so no body is sent twice. */
export interface Cursor {
  next: number;
}

export interface PhaseResult {
  /** 200 answers counted in the measured window (closed: completed in it; open: due in it). */
  acceptedInWindow: number;
  windowMs: number;
  /** Latencies (ms) of the window's requests, failures included (time to fail), sorted ascending. */
  latenciesMs: number[];
  /** Every event id answered 200, warm-up included: the inbox must hold each exactly once. */
  acceptedEventIds: string[];
  sent: number;
  /** Answers other than 200. */
  non200: number;
  /** How many of each status other than 200 (e.g. 503 from a server out of connections). */
  statuses: Record<number, number>;
  /** No answer at all (connection error, timeout, abort). */
  failed: number;
  poolExhausted: boolean;
  /** Closed loop: ms from the start until the measured window opened (warm-up + connection ramp). */
  rampMs: number;
  /** Longest time (ms) inside the window with no answer at all: a stalled server shows up here. */
  maxSilenceMs: number;
  /** performance.now() of the latest in-window answer (bookkeeping for maxSilenceMs). */
  lastAnswerAt: number;
}

export interface LoadOptions {
  connections: number;
  warmupMs: number;
  durationMs: number;
  /** Prefix of this run's event ids (unique per run). */
  runTag: string;
  /** Called once when the measured window starts and once when it ends (closed loop only). */
  onWindow?: (edge: "start" | "end") => void;
}

export async function closedLoop(target: Target, pool: SignedPool, cursor: Cursor, opts: LoadOptions): Promise<PhaseResult> {
  const client = makeClient(target, opts.connections);
  const result = emptyResult();
  const t0 = performance.now();
  // The window opens after warmupMs AND once every connection has had an answer (at most MAX_RAMP_MS
  // later): a saturated Node server can serve a new connection's first request only after a long wait
  // (seen on a busy 2-core box: seconds for the last of 64, even with a trivial handler), and that ramp
  // is not the steady state. PhaseResult.rampMs says how long it took.
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  let answeredConnections = 0;
  let lastAnswer = t0;
  const hardStop = setTimeout(() => client.abort(), opts.warmupMs + MAX_RAMP_MS + opts.durationMs + GRACE_MS);
  const maybeOpenWindow = (now: number) => {
    if (windowStart !== Number.POSITIVE_INFINITY || now < t0 + opts.warmupMs) return;
    if (answeredConnections < opts.connections && now < t0 + opts.warmupMs + MAX_RAMP_MS) return;
    windowStart = now;
    windowEnd = now + opts.durationMs;
    result.rampMs = now - t0;
    opts.onWindow?.("start");
  };

  const connection = async () => {
    let answered = false;
    while (performance.now() < windowEnd) {
      if (cursor.next >= pool.bodies.length) {
        result.poolExhausted = true;
        return;
      }
      const i = cursor.next++;
      const start = performance.now();
      result.sent++;
      const eventId = `${opts.runTag}-${i}`;
      const status = await client.post(pool, i, eventId);
      const end = performance.now();
      lastAnswer = end;
      if (!answered && status > 0) {
        answered = true;
        answeredConnections++;
      }
      tally(result, status, eventId, end - start, end >= windowStart && end <= windowEnd);
      maybeOpenWindow(end);
      if (status <= 0 && client.aborted()) return;
    }
  };
  await Promise.all(Array.from({ length: opts.connections }, connection));
  clearTimeout(hardStop);
  client.close();
  const opened = windowStart !== Number.POSITIVE_INFINITY;
  if (opened) opts.onWindow?.("end");
  // If the pool ran out early, the window ends at the last answer, not at the planned time.
  result.windowMs = opened ? Math.max(0, Math.min(windowEnd, lastAnswer) - windowStart) : 0;
  result.latenciesMs.sort((a, b) => a - b);
  return result;
}

export async function openLoop(target: Target, pool: SignedPool, cursor: Cursor, opts: LoadOptions & { ratePerS: number }): Promise<PhaseResult> {
  const total = Math.floor(((opts.warmupMs + opts.durationMs) / 1000) * opts.ratePerS);
  if (cursor.next + total > pool.bodies.length) throw new Error(`open loop needs ${total} bodies, the pool has ${pool.bodies.length - cursor.next} left`);
  const client = makeClient(target, opts.connections);
  const result = emptyResult();
  const intervalMs = 1000 / opts.ratePerS;
  const warmupCount = Math.floor((opts.warmupMs / 1000) * opts.ratePerS);
  const first = cursor.next;
  cursor.next += total;
  const inFlight: Promise<void>[] = [];
  const t0 = performance.now();
  const hardStop = setTimeout(() => client.abort(), opts.warmupMs + opts.durationMs + GRACE_MS);

  const send = (n: number) => {
    const i = first + n;
    const due = t0 + n * intervalMs;
    const eventId = `${opts.runTag}-${i}`;
    result.sent++;
    inFlight.push(client.post(pool, i, eventId).then((status) => tally(result, status, eventId, performance.now() - due, n >= warmupCount)));
  };
  // A 1 ms ticker sends every request whose due time has passed (setTimeout alone cannot keep 0.5–2 ms gaps).
  await new Promise<void>((resolve) => {
    let sent = 0;
    const tick = () => {
      const dueNow = Math.min(total, Math.floor((performance.now() - t0) / intervalMs) + 1);
      while (sent < dueNow) send(sent++);
      if (sent >= total) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(inFlight);
  clearTimeout(hardStop);
  client.close();
  result.windowMs = opts.durationMs;
  result.latenciesMs.sort((a, b) => a - b);
  return result;
}

/** Nearest-rank percentile of ascending samples (NaN when empty). */
export function percentile(sortedAsc: number[], p: number): number {
  if (sortedAsc.length === 0) return Number.NaN;
  return sortedAsc[Math.min(sortedAsc.length - 1, Math.max(0, Math.ceil((p / 100) * sortedAsc.length) - 1))];
}

function emptyResult(): PhaseResult {
  return { acceptedInWindow: 0, windowMs: 0, latenciesMs: [], acceptedEventIds: [], sent: 0, non200: 0, statuses: {}, failed: 0, poolExhausted: false, rampMs: 0, maxSilenceMs: 0, lastAnswerAt: 0 };
}

// A failed request stays in the latency samples with the time it took to fail (a lower bound), so a
// server that drops requests cannot look fast by answering only the easy ones.
function tally(result: PhaseResult, status: number, eventId: string, latencyMs: number, inWindow: boolean): void {
  if (inWindow) result.latenciesMs.push(latencyMs);
  if (inWindow && status > 0) {
    const now = performance.now();
    if (result.lastAnswerAt > 0) result.maxSilenceMs = Math.max(result.maxSilenceMs, now - result.lastAnswerAt);
    result.lastAnswerAt = now;
  }
  if (status === 200) {
    result.acceptedEventIds.push(eventId);
    if (inWindow) result.acceptedInWindow++;
  } else if (status > 0) {
    result.non200++;
    result.statuses[status] = (result.statuses[status] ?? 0) + 1;
  } else result.failed++;
}

/** One keep-alive Agent to 127.0.0.1 plus an abort switch for everything still pending. */
function makeClient(target: Target, connections: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const controller = new AbortController();
  setMaxListeners(0, controller.signal); // one listener per pending request
  const post = (pool: SignedPool, i: number, eventId: string): Promise<number> =>
    new Promise((resolve) => {
      const body = pool.bodies[i];
      const req = http.request(
        {
          agent,
          host: "127.0.0.1",
          port: target.port,
          method: "POST",
          path: target.path,
          signal: controller.signal,
          timeout: REQUEST_TIMEOUT_MS,
          headers: {
            "content-type": "application/json",
            "content-length": body.length,
            "x-shopify-topic": target.topic,
            "x-shopify-shop-domain": target.shop,
            "x-shopify-webhook-id": `wh-${eventId}`,
            "x-shopify-event-id": eventId,
            "x-shopify-api-version": "2026-01",
            "x-shopify-hmac-sha256": pool.hmacs[i],
          },
        },
        (res) => {
          res.on("end", () => resolve(res.statusCode ?? 0));
          res.on("error", () => resolve(-1));
          res.resume(); // drain the body; the status is all we need
        },
      );
      req.on("timeout", () => req.destroy(new Error("request timed out")));
      req.on("error", () => resolve(-1)); // a second resolve after "end" is a no-op
      req.end(body);
    });
  return {
    post,
    abort: () => controller.abort(),
    aborted: () => controller.signal.aborted,
    close: () => agent.destroy(),
  };
}

export interface SendAllResult {
  sent: number;
  acceptedEventIds: string[];
  non200: number;
  failed: number;
  /** From the first request to the last answer. */
  elapsedMs: number;
}

/**
 * Send exactly `count` bodies (the next ones of the pool), `connections` keep-alive connections per target,
 * targets taken round robin request by request, each connection sending as soon as it is answered. A
 * request answered with 5xx or not at all is sent again on the same connection (as Shopify retries), so
 * every body ends accepted unless the server keeps failing it (`maxTries`).
 */
export async function sendAll(targets: Target[], pool: SignedPool, cursor: Cursor, count: number, opts: { connections: number; runTag: string; maxTries?: number }): Promise<SendAllResult> {
  if (cursor.next + count > pool.bodies.length) throw new Error(`sendAll needs ${count} bodies, the pool has ${pool.bodies.length - cursor.next} left`);
  const clients = targets.map((t) => ({ target: t, client: makeClient(t, opts.connections) }));
  const result: SendAllResult = { sent: 0, acceptedEventIds: [], non200: 0, failed: 0, elapsedMs: 0 };
  const first = cursor.next;
  cursor.next += count;
  let next = 0;
  const t0 = performance.now();
  let last = t0;
  const connection = async () => {
    while (next < count) {
      const i = first + next++;
      const eventId = `${opts.runTag}-${i}`;
      for (let attempt = 1; ; attempt++) {
        const target = clients[(i + attempt - 1) % clients.length]; // a retry may go to another server, as behind a load balancer
        result.sent++;
        const status = await target.client.post(pool, i, eventId);
        last = performance.now();
        if (status === 200) {
          result.acceptedEventIds.push(eventId);
          break;
        }
        if (status > 0) result.non200++;
        else result.failed++;
        if (attempt >= (opts.maxTries ?? 5) || (status > 0 && status < 500)) break;
      }
    }
  };
  await Promise.all(Array.from({ length: opts.connections * clients.length }, connection));
  for (const c of clients) c.client.close();
  result.elapsedMs = last - t0;
  return result;
}
