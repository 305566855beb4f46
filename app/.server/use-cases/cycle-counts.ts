import { approvalMoves, binsDueForCount, countVariance, dailyCountCap, varianceSummary, type ScheduleBin, type VarianceLine } from "~/domain/warehouse/cycle-counts";
import { abcClasses, type VelocityClass } from "~/domain/warehouse/putaway";
import { shopifyReasonFor } from "~/domain/inventory/on-hand-push";
import { database, type Queryable } from "../db/database";
import type { Tx } from "../db/engine/types";
import {
  binContents, binOfLocation, binsWithPendingCount, countLines, findCount, insertCount, insertCountLines, insertTrigger, lastCountedByBin, listCounts, openCountOfBin, setCountStatus,
  storageBinsHolding, triggeredCount, type CountLineRow, type CycleCountRow,
} from "../db/cycle-counts-sql";
import { takeOnHand } from "../db/fulfillment-sql";
import { sqlTime } from "../db/ids";
import { insertLabourEvents } from "../db/labour-sql";
import { findLocationId, findVariantIdBySku } from "../db/receipt-sql";
import { insertStockPushes } from "../db/stock-push-sql";
import { binsOf, binStockAt, isManaged, locationsWithManaged, moveBinStock, unitsSoldSince } from "../db/warehouse-sql";
import { AppError } from "../errors";
import { enqueueChannelStockSync, enqueuePushOnHand, queue } from "../jobs/queue";
import type { JobDefinition } from "../queues/job-definition";
import { findShopByDomain } from "../db/shops";
import { VELOCITY_DAYS } from "./bin-arrivals";
import { afterStockArrivals, applyStockArrival, type StockArrival } from "./receive-stock";
import type { Reallocation } from "./allocate-order";

// Cycle counts (issue 13, item 7; ADR 0034): count tasks per bin, opened by the ABC schedule, a short pick, a bin
// emptied by a move, by hand or by a Flow action; counted blind on the handheld; a variance moves stock only once
// approved.

export type CountReason = "short_pick" | "empty_bin" | "scheduled" | "manual" | "flow";
export const COUNT_REASONS: readonly CountReason[] = ["short_pick", "empty_bin", "scheduled", "manual", "flow"];

export interface OpenCountsRequest {
  /** Our location id or its Shopify id. */
  locationId: string;
  /** A bin id or code: a count for that bin (focused on `sku` when given). */
  binId?: string;
  /** Without a bin: a count of every storage bin of the location that holds the SKU. */
  sku?: string;
  reason: CountReason;
  /** The natural key of what asked (e.g. `short_pick:<pickLineId>`): the same key for the same bin opens nothing new. */
  sourceKey: string;
  worker?: string | null;
}

/**
 * Inside the caller's transaction: opens count tasks. A bin that has an open count already is not given a second:
 * the trigger joins it. Idempotent on (shop, source key, bin): calling again returns the same ids and creates
 * nothing. Refused (AppError, nothing opened): an unknown location, bin or SKU, a location not managed by the
 * warehouse module, neither a bin nor a SKU, or a SKU that no bin of the location holds.
 */
export async function openCycleCounts(tx: Tx, shopId: string, req: OpenCountsRequest): Promise<{ ids: string[]; created: number }> {
  if (!COUNT_REASONS.includes(req.reason)) throw new AppError("invalid_data", "COUNT.BAD_REASON", `A count's reason is one of ${COUNT_REASONS.join(", ")} (got ${JSON.stringify(req.reason)})`);
  const sourceKey = req.sourceKey?.trim();
  if (!sourceKey) throw new AppError("invalid_data", "COUNT.NO_SOURCE_KEY", "Opening a count needs a source key (what asked for it), so asking twice opens it once");
  const locationId = await findLocationId(tx, shopId, req.locationId);
  if (!locationId) throw new AppError("not_found", "WAREHOUSE.UNKNOWN_LOCATION", `No location ${JSON.stringify(req.locationId)} in this shop`);
  if (!(await isManaged(tx, shopId, locationId))) throw new AppError("conflict", "WAREHOUSE.NOT_MANAGED", `Location ${req.locationId} is not managed by the warehouse module: it has no bins to count`);
  const sku = req.sku?.trim() || undefined;
  const variantId = sku === undefined ? null : await findVariantIdBySku(tx, shopId, sku);
  if (sku !== undefined && !variantId) throw new AppError("not_found", "COUNT.UNKNOWN_SKU", `No SKU ${JSON.stringify(sku)} in this shop; no count was opened`);
  let bins: { id: string; code: string }[];
  if (req.binId !== undefined && req.binId.trim() !== "") {
    const bin = await binOfLocation(tx, shopId, locationId, req.binId.trim());
    if (!bin) throw new AppError("not_found", "COUNT.UNKNOWN_BIN", `No bin ${JSON.stringify(req.binId)} at this location; no count was opened`);
    bins = [bin];
  } else if (variantId) {
    bins = await storageBinsHolding(tx, shopId, locationId, variantId);
    if (bins.length === 0) throw new AppError("conflict", "COUNT.SKU_IN_NO_BIN", `No bin at this location holds ${sku}: there is nothing to count; no count was opened`);
  } else {
    throw new AppError("invalid_data", "COUNT.NO_TARGET", "Opening a count needs a bin, or a SKU to count every bin holding it");
  }
  const ids: string[] = [];
  let created = 0;
  for (const bin of bins) {
    const seen = await triggeredCount(tx, shopId, sourceKey, bin.id);
    if (seen) {
      ids.push(seen);
      continue;
    }
    let id = await openCountOfBin(tx, shopId, bin.id);
    let createdHere = false;
    if (!id) {
      id = await insertCount(tx, shopId, { locationId, binId: bin.id, focusVariantId: variantId ?? null, reason: req.reason, assignedTo: req.worker?.trim() || null });
      createdHere = id !== undefined;
      // A concurrent transaction opened one first (PostgreSQL, READ COMMITTED: this statement waited for it): join it.
      id ??= await openCountOfBin(tx, shopId, bin.id);
      if (!id) throw new AppError("unexpected_state", "COUNT.OPENED_MEANWHILE", `Bin ${bin.code} got an open count meanwhile; try again`);
    }
    if (!(await insertTrigger(tx, shopId, sourceKey, bin.id, id))) {
      // The same trigger was recorded concurrently: answer with its count (a count made here for it would be a second one).
      const seenNow = await triggeredCount(tx, shopId, sourceKey, bin.id);
      if (createdHere && seenNow !== id) throw new AppError("unexpected_state", "COUNT.OPENED_MEANWHILE", `Bin ${bin.code} got a count for the same trigger meanwhile; try again`);
      id = seenNow ?? id;
    }
    if (createdHere) created += 1;
    ids.push(id);
  }
  return { ids, created };
}

/**
 * Inside the transaction of a move that took units out of a bin (a pick, a putaway): when the storage bin holds
 * nothing any more, a count is opened for it (reason `empty_bin`) — an empty bin is the cheapest moment to check
 * that it really is empty. Keyed by the move, so a retried move opens nothing new. Undefined when the bin still
 * holds something or is the receiving bin.
 */
export async function countIfBinEmptied(tx: Tx, shopId: string, m: { locationId: string; binId: string; sourceKey: string; worker?: string | null }): Promise<{ ids: string[]; created: number } | undefined> {
  const bin = await binOfLocation(tx, shopId, m.locationId, m.binId);
  if (!bin || bin.kind !== "storage") return undefined;
  if ((await binContents(tx, shopId, bin.id)).length > 0) return undefined;
  return openCycleCounts(tx, shopId, { locationId: m.locationId, binId: bin.id, reason: "empty_bin", sourceKey: `empty_bin:${m.sourceKey}`, worker: m.worker ?? null });
}

/** Days of the count history the schedule reads is unbounded: a bin's last count is kept on its rows. */
export interface ScheduleOutcome {
  locationId: string;
  due: number;
  cap: number;
  opened: number;
}

/**
 * The ABC schedule for one day (the worker runs it daily per shop): at each managed location, the stocked bins
 * whose class interval passed since their last count (A 30 days, B 90, C 180; classes from units on order lines
 * of the last 30 days, as putaway slotting reads them), most overdue first, at most the daily cap (the long-run
 * counts a day + 25 %, or `cap`), so counting folds into daily work. Keyed by the day: run twice, opens nothing new.
 */
export async function scheduleCycleCounts(shopId: string, opts: { now?: Date; cap?: number } = {}): Promise<ScheduleOutcome[]> {
  const now = opts.now ?? new Date();
  const day = now.toISOString().slice(0, 10);
  const out: ScheduleOutcome[] = [];
  for (const loc of (await locationsWithManaged(database(), shopId)).filter((l) => l.managed)) {
    out.push(await database().transaction(async (tx) => {
      const classes = abcClasses(await unitsSoldSince(tx, shopId, sqlTime(new Date(now.getTime() - VELOCITY_DAYS * 86_400_000))));
      const held = new Map<string, VelocityClass[]>();
      for (const s of await binStockAt(tx, shopId, loc.id)) if (s.quantity > 0) held.set(s.binId, [...(held.get(s.binId) ?? []), classes.get(s.variantId) ?? "C"]);
      const last = await lastCountedByBin(tx, shopId, loc.id);
      const bins: ScheduleBin[] = (await binsOf(tx, shopId, loc.id)).filter((b) => b.kind === "storage").map((b) => ({ id: b.id, code: b.code, classes: held.get(b.id) ?? [], lastCountedAt: last.get(b.id) ?? null }));
      const cap = opts.cap ?? dailyCountCap(bins);
      const due = binsDueForCount(bins, now, cap, { skip: await binsWithPendingCount(tx, shopId, loc.id) });
      let opened = 0;
      for (const b of due) opened += (await openCycleCounts(tx, shopId, { locationId: loc.id, binId: b.id, reason: "scheduled", sourceKey: `scheduled:${day}` })).created;
      return { locationId: loc.id, due: due.length, cap, opened };
    }));
  }
  return out;
}

export const SCHEDULE_COUNTS_JOB = "schedule-cycle-counts";
/** The schedule runs once a day per shop. */
export const SCHEDULE_COUNTS_EVERY_MS = 24 * 3_600_000;

export interface ScheduleCountsData {
  shopDomain: string;
}

/** The day's schedule for a shop (the worker claims the day first; the job id dedupes a retried enqueue). */
export async function enqueueCycleCountSchedule(shopDomain: string, period: string): Promise<void> {
  await queue().enqueue<ScheduleCountsData>(SCHEDULE_COUNTS_JOB, { shopDomain }, { jobId: `${shopDomain}:cycle-counts:${period}`, attempts: 3, backoffMs: 30_000 });
}

export const scheduleCycleCountsJob: JobDefinition<ScheduleCountsData> = {
  name: SCHEDULE_COUNTS_JOB,
  concurrency: 1,
  async perform(job) {
    const shop = await findShopByDomain(database(), job.data.shopDomain);
    if (!shop || shop.status !== "installed") return;
    await scheduleCycleCounts(shop.id);
  },
};

export interface CountView {
  id: string;
  bin: string;
  reason: string;
  status: CycleCountRow["status"];
  /** The SKU that triggered it (a short pick), shown to the worker; the count covers the whole bin. */
  focusSku: string | null;
  assignedTo: string | null;
  countedBy: string | null;
  countedAt: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  recountOf: string | null;
  createdAt: string;
}

/** For the approval queue (never for the handheld): the lines with expected, counted and variance. */
export interface ReviewedCountView extends CountView {
  lines: (CountLineRow & { variance: number })[];
  summary: { over: number; short: number; linesOff: number };
}

const countView = (c: CycleCountRow): CountView => ({
  id: c.id, bin: c.binCode, reason: c.reason, status: c.status, focusSku: c.focusSku, assignedTo: c.assignedTo, countedBy: c.countedBy, countedAt: c.countedAt,
  decidedBy: c.decidedBy, decidedAt: c.decidedAt, recountOf: c.recountOfId, createdAt: c.createdAt,
});

async function reviewed(q: Queryable, shopId: string, rows: CycleCountRow[]): Promise<ReviewedCountView[]> {
  const lines = await countLines(q, shopId, rows.map((r) => r.id));
  return rows.map((r) => {
    const ls = (lines.get(r.id) ?? []).map((l) => ({ ...l, variance: l.counted - l.expected }));
    return { ...countView(r), lines: ls, summary: varianceSummary(ls) };
  });
}

async function managedLocation(q: Queryable, shopId: string, location: string): Promise<string> {
  const locationId = await findLocationId(q, shopId, location);
  if (!locationId) throw new AppError("not_found", "WAREHOUSE.UNKNOWN_LOCATION", `No location ${JSON.stringify(location)} in this shop`);
  if (!(await isManaged(q, shopId, locationId))) throw new AppError("not_found", "WAREHOUSE.NOT_MANAGED", `Location ${location} is not managed by the warehouse module`);
  return locationId;
}

/** The handheld's list: open count tasks, oldest first, without any quantity (counts are blind). */
export async function openCountTasks(shopId: string, location: string): Promise<CountView[]> {
  const q = database();
  const locationId = await managedLocation(q, shopId, location);
  return (await listCounts(q, shopId, locationId, ["open"])).map(countView);
}

/** The approval queue: counts awaiting a decision (with their variances), open tasks, and the last 50 decided. */
export async function readCountQueue(shopId: string, location: string): Promise<{ open: CountView[]; awaiting: ReviewedCountView[]; decided: ReviewedCountView[] }> {
  const q = database();
  const locationId = await managedLocation(q, shopId, location);
  return {
    open: (await listCounts(q, shopId, locationId, ["open"])).map(countView),
    awaiting: await reviewed(q, shopId, await listCounts(q, shopId, locationId, ["counted"])),
    decided: await reviewed(q, shopId, await listCounts(q, shopId, locationId, ["approved", "declined", "recounted"], 50)),
  };
}

/** One count with its lines (for the API); the expected quantities are part of it, so it is not for the handheld. */
export async function readCount(shopId: string, location: string, id: string): Promise<ReviewedCountView> {
  const q = database();
  const locationId = await managedLocation(q, shopId, location);
  const c = await findCount(q, shopId, locationId, id);
  if (!c) throw new AppError("not_found", "COUNT.NOT_FOUND", `No count ${JSON.stringify(id)} at this location`);
  return (await reviewed(q, shopId, [c]))[0]!;
}

/** Opens counts by hand (the dashboard, the API): the same rules as every trigger. */
export async function openCountsByHand(shopId: string, location: string, req: { bin?: string; sku?: string; sourceKey: string; worker?: string | null; reason?: "manual" | "flow" }): Promise<{ ids: string[]; created: number }> {
  return database().transaction((tx) => openCycleCounts(tx, shopId, { locationId: location, binId: req.bin, sku: req.sku, reason: req.reason ?? "manual", sourceKey: req.sourceKey, worker: req.worker ?? null }));
}

export interface CountSubmission {
  /** The bin the worker scanned: must be the count's bin. */
  bin: string;
  /** What was counted: SKU (or barcode), lot, units. A SKU/lot the bin holds that is absent here counts as 0. */
  lines: { sku: string; lot?: string; quantity: number }[];
  /** The handheld's key for this submission: sent twice, recorded once. */
  submissionId: string;
  worker?: string | null;
}

/**
 * A blind count submitted: the lines are stored with what the bin held at that moment (expected) and the count
 * waits for approval; stock does not move. Refused, nothing recorded: a negative or fractional quantity, an unknown
 * SKU, the wrong bin scanned, a count no longer open. The same submission again answers `applied: false`. The
 * worker's labour event (kind count, key `count:<id>`) is recorded in the same transaction.
 */
export async function submitCount(shopId: string, location: string, id: string, sub: CountSubmission, opts: { now?: Date } = {}): Promise<{ applied: boolean; count: CountView }> {
  const bad = sub.lines.find((l) => !Number.isInteger(l.quantity) || l.quantity < 0);
  if (bad) throw new AppError("invalid_data", "COUNT.BAD_QUANTITY", `A counted quantity is a whole number ≥ 0 (got ${bad.quantity} for ${bad.sku}); nothing was recorded`);
  if (!sub.submissionId?.trim()) throw new AppError("invalid_data", "COUNT.NO_SUBMISSION_ID", "A count submission needs its id (the handheld's key), so sending it twice records it once");
  const at = sqlTime(opts.now);
  const applied = await database().transaction(async (tx) => {
    const locationId = await managedLocation(tx, shopId, location);
    const c = await findCount(tx, shopId, locationId, id, true);
    if (!c) throw new AppError("not_found", "COUNT.NOT_FOUND", `No count ${JSON.stringify(id)} at this location`);
    if (c.status !== "open") {
      if (c.submissionId === sub.submissionId) return false;
      throw new AppError("conflict", "COUNT.NOT_OPEN", `The count of bin ${c.binCode} is ${c.status} already; nothing was recorded`);
    }
    if (sub.bin.trim().toUpperCase() !== c.binCode.toUpperCase()) throw new AppError("conflict", "COUNT.WRONG_BIN", `Wrong bin: you scanned ${sub.bin.trim().toUpperCase()}, but this count is for ${c.binCode}. Nothing was recorded.`);
    const counted = [];
    const unknown: string[] = [];
    for (const l of sub.lines) {
      const variantId = await findVariantIdBySku(tx, shopId, l.sku.trim());
      if (!variantId) unknown.push(l.sku);
      else counted.push({ variantId, lot: (l.lot ?? "").trim(), quantity: l.quantity });
    }
    if (unknown.length > 0) throw new AppError("invalid_data", "COUNT.UNKNOWN_SKU", `Not a SKU of this shop: ${unknown.join(", ")}; nothing was recorded`);
    const expected = (await binContents(tx, shopId, c.binId)).map((s) => ({ variantId: s.variantId, lot: s.lot, quantity: s.quantity }));
    const lines = countVariance(expected, counted);
    await insertCountLines(tx, shopId, c.id, lines);
    if (!(await setCountStatus(tx, shopId, c.id, "open", "counted", { countedBy: sub.worker?.trim() || null, submissionId: sub.submissionId }, at))) throw new AppError("unexpected_state", "COUNT.CHANGED_MEANWHILE", `Count ${c.id} changed meanwhile`);
    await insertLabourEvents(tx, shopId, [{ locationId, worker: sub.worker ?? null, kind: "count", naturalKey: `count:${c.id}`, lines: Math.max(1, lines.length), units: counted.reduce((s, l) => s + l.quantity, 0), at }]);
    return true;
  });
  const locationId = await managedLocation(database(), shopId, location);
  return { applied, count: countView((await findCount(database(), shopId, locationId, id))!) };
}

/**
 * Approving a submitted count posts its variances: per SKU and lot, a bin ledger row (reason `counted`, key
 * `count:<id>:bin:<variant>:<lot>`) by counted − expected, and per SKU the location's on hand by the same total
 * (key `count:<id>:<variant>`; an increase through the stock-arrival path, so backorders fill, a decrease off on
 * hand; both pushed to Shopify as `cycle_count_available`). The variance is the one measured at submission, applied
 * as a delta: units picked or put away since then are not undone. A shortfall the bin no longer holds, or an excess
 * that no longer fits, is refused (409, recount), nothing moved. Approving twice applies once.
 */
export async function approveCount(shopId: string, location: string, id: string, by: string | null, opts: { now?: Date } = {}): Promise<{ applied: boolean; count: ReviewedCountView }> {
  const arrivals: StockArrival[] = [];
  const decreased: { variantId: string; locationId: string; key: string }[] = [];
  const result = await database().transaction(async (tx) => {
    arrivals.length = 0;
    decreased.length = 0;
    const locationId = await managedLocation(tx, shopId, location);
    const c = await findCount(tx, shopId, locationId, id, true);
    if (!c) throw new AppError("not_found", "COUNT.NOT_FOUND", `No count ${JSON.stringify(id)} at this location`);
    if (c.status === "approved") return { applied: false, filled: [] as Reallocation[] };
    if (c.status !== "counted") throw new AppError("conflict", "COUNT.NOT_COUNTED", `The count of bin ${c.binCode} is ${c.status}: only a submitted count is approved; nothing was moved`);
    const lines: VarianceLine[] = ((await countLines(tx, shopId, [c.id])).get(c.id) ?? []).map((l) => ({ ...l, variance: l.counted - l.expected }));
    const ref = { type: "cycle_count", id: c.id };
    const perVariant = new Map<string, number>();
    // Shortfalls first, so an excess of one lot is not refused for room the missing units of another still take.
    for (const m of approvalMoves(lines).sort((a, b) => a.delta - b.delta)) {
      try {
        await moveBinStock(tx, shopId, { locationId, binId: c.binId, variantId: m.variantId, lot: m.lot, delta: m.delta, reason: "counted", idempotencyKey: `count:${c.id}:bin:${m.variantId}:${m.lot}`, ref });
      } catch (error) {
        if (error instanceof AppError && (error.code === "BIN.INSUFFICIENT" || error.code === "BIN.OVER_CAPACITY")) {
          throw new AppError("conflict", "COUNT.STOCK_MOVED", `Bin ${c.binCode} changed since it was counted: ${error.message}. Recount it; nothing was moved.`);
        }
        throw error;
      }
      perVariant.set(m.variantId, (perVariant.get(m.variantId) ?? 0) + m.delta);
    }
    const ctx = { tx, shopId, now: opts.now ?? new Date(), actor: by ?? "cycle-count" };
    const filled: Reallocation[] = [];
    for (const [variantId, delta] of perVariant) {
      const key = `count:${c.id}:${variantId}`;
      if (delta > 0) {
        const arrival: StockArrival = { variantId, locationId, quantity: delta, reason: "counted", idempotencyKey: key, ref };
        const r = await applyStockArrival(ctx, arrival);
        arrivals.push(arrival);
        filled.push(...r.filled);
      } else if (delta < 0) {
        const taken = await takeOnHand(tx, shopId, variantId, locationId, -delta, "counted", key, ref);
        if (taken !== -delta) throw new AppError("unexpected_state", "COUNT.ON_HAND_DISAGREES", `On hand at this location is below the bin's shortfall of ${-delta} (only ${taken} could be taken): on hand and bins disagree; nothing was moved`);
        await insertStockPushes(tx, shopId, [{ variantId, locationId, idempotencyKey: key, delta, reason: shopifyReasonFor("counted")!, referenceUri: `oms://cycle_count/${encodeURIComponent(c.id)}` }]);
        decreased.push({ variantId, locationId, key });
      }
    }
    if (!(await setCountStatus(tx, shopId, c.id, "counted", "approved", { decidedBy: by }))) throw new AppError("unexpected_state", "COUNT.CHANGED_MEANWHILE", `Count ${c.id} changed meanwhile`);
    return { applied: true, filled };
  });
  if (result.applied) {
    await afterStockArrivals(shopId, arrivals, arrivals.map((_, i) => ({ applied: true, filled: i === 0 ? result.filled : [] })));
    for (const d of decreased) await enqueuePushOnHand({ shopId, variantId: d.variantId, locationId: d.locationId }, d.key);
    if (decreased.length > 0) await enqueueChannelStockSync({ shopId });
  }
  return { applied: result.applied, count: await readCount(shopId, location, id) };
}

/** Declining a count (submitted or still open): nothing moves, the count is closed. Declining twice: applied false. */
export async function declineCount(shopId: string, location: string, id: string, by: string | null): Promise<{ applied: boolean; count: ReviewedCountView }> {
  const applied = await database().transaction(async (tx) => {
    const locationId = await managedLocation(tx, shopId, location);
    const c = await findCount(tx, shopId, locationId, id, true);
    if (!c) throw new AppError("not_found", "COUNT.NOT_FOUND", `No count ${JSON.stringify(id)} at this location`);
    if (c.status === "declined") return false;
    if (c.status !== "counted" && c.status !== "open") throw new AppError("conflict", "COUNT.DECIDED", `The count of bin ${c.binCode} is ${c.status} already; nothing changed`);
    if (!(await setCountStatus(tx, shopId, c.id, c.status, "declined", { decidedBy: by }))) throw new AppError("unexpected_state", "COUNT.CHANGED_MEANWHILE", `Count ${c.id} changed meanwhile`);
    return true;
  });
  return { applied, count: await readCount(shopId, location, id) };
}

/** Asking for a recount: the submitted count is closed unapplied (status recounted) and a new open count of the bin starts. */
export async function recountCount(shopId: string, location: string, id: string, by: string | null): Promise<{ applied: boolean; recount: CountView }> {
  const out = await database().transaction(async (tx) => {
    const locationId = await managedLocation(tx, shopId, location);
    const c = await findCount(tx, shopId, locationId, id, true);
    if (!c) throw new AppError("not_found", "COUNT.NOT_FOUND", `No count ${JSON.stringify(id)} at this location`);
    const sourceKey = `recount:${c.id}`;
    if (c.status === "recounted") {
      const again = await triggeredCount(tx, shopId, sourceKey, c.binId);
      if (again) return { applied: false, id: again, locationId };
    }
    if (c.status !== "counted") throw new AppError("conflict", "COUNT.NOT_COUNTED", `The count of bin ${c.binCode} is ${c.status}: only a submitted count is recounted; nothing changed`);
    if (!(await setCountStatus(tx, shopId, c.id, "counted", "recounted", { decidedBy: by }))) throw new AppError("unexpected_state", "COUNT.CHANGED_MEANWHILE", `Count ${c.id} changed meanwhile`);
    let next = await openCountOfBin(tx, shopId, c.binId);
    if (!next) next = await insertCount(tx, shopId, { locationId, binId: c.binId, focusVariantId: c.focusVariantId, reason: c.reason, assignedTo: c.assignedTo, recountOfId: c.id });
    if (!next) throw new AppError("unexpected_state", "COUNT.OPENED_MEANWHILE", `Bin ${c.binCode} got an open count meanwhile; try again`);
    await insertTrigger(tx, shopId, sourceKey, c.binId, next);
    return { applied: true, id: next, locationId };
  });
  return { applied: out.applied, recount: countView((await findCount(database(), shopId, out.locationId, out.id))!) };
}
