import { canTransition } from "~/domain/orders/status-machine";
import { assignBins, checkPackScan, checkPickScan, checkShortPick, closeProblems, routeOrder, unverified, type CloseInput, type PackItem, type PickNeed } from "~/domain/warehouse/picking";
import { planWavesAndBatches, type WaveBatchOrder } from "~/domain/warehouse/waves";
import { renderRouteMap } from "~/domain/warehouse/route-map";
import { itemsOf } from "~/domain/warehouse/batching";
import { audit } from "../db/audit";
import { database, RetryableConflict, type Tx } from "../db/database";
import { moveReserved, lineAllocations, splitAllocation } from "../db/fulfillment-sql";
import { insertLabourEvents } from "../db/labour-sql";
import {
  advancePickLine, binSupplies, closePack, closeTaskIfDone, ensurePack, ensureStagingBin, insertPackScan, insertPickException, insertPickScan, insertPickTask, linesOfOrderAt,
  linesOfTask, lockPack, markPackShipped, ordersReadyToPack, packById, packOf, pickExceptionOfLine, pickLineById, pickTaskById, pickTasksAt, routedNeedsAt, setPackError, verifiedOf,
  type PackRow, type PickLineRow, type PickTaskRow,
} from "../db/picking-sql";
import { getOrder, orderLines, orderWithChannel, setOrderStatus } from "../db/pipeline-sql";
import { locationExternalIdOf } from "../db/shipments-sql";
import { findWarehouse, moveBinStock, type WarehouseRow } from "../db/warehouse-sql";
import { AppError } from "../errors";
import { queue, enqueueChannelStockSync } from "../jobs/queue";
import type { JobDefinition } from "../queues/job-definition";
import { TerminalJobError } from "../queues/queue-port";
import { adminGraphql } from "../shopify/admin-graphql";
import { FULFILLMENT_CREATE_MUTATION, type FulfillmentCreateResult, type FulfillmentCreateVariables } from "../shopify/graphql/fulfillment-create-mutation";
import { ORDER_FULFILLMENT_ORDERS_QUERY, type OrderFulfillmentOrdersResult } from "../shopify/graphql/order-fulfillment-orders-query";
import { ORDER_FULFILLMENTS_QUERY, type OrderFulfillmentsResult } from "../shopify/graphql/order-fulfillments-query";
import { allocateLines, orderFacts, type AllocationContext } from "./allocate-order";
import { countIfBinEmptied, openCycleCounts } from "./cycle-counts";
import { enqueueReallocations } from "./dispatch-reallocations";
import { requireLocation } from "./manage-warehouse";
import { applyFulfillment } from "./record-fulfillment";
import { shipOrder } from "./ship-order";

// Pick, pack, ship at a location managed by the warehouse module (issue 13, item 6; ADR 0033). A wave of routed
// orders becomes pick tasks whose lines follow the drawn route; each pick is confirmed by scanning bin then SKU and
// moves the units from their bin to the staging bin (reserved stays: the units still belong to the order); a short
// pick re-routes what is missing and asks for a count of the bin; packing verifies the picked units by scan and
// closes the package with carrier and tracking; a job then creates the fulfillment in the channel, consumes the
// units (on hand down where they left, as every shipment does) and empties the staging bin of them.

export const DEFAULT_CART_ITEMS = 45;
const MAX_WAVE_ORDERS = 300;

async function managed(q: Tx | ReturnType<typeof database>, shopId: string, location: string): Promise<{ locationId: string; warehouse: WarehouseRow }> {
  const locationId = await requireLocation(q, shopId, location);
  const warehouse = await findWarehouse(q, shopId, locationId);
  if (!warehouse) throw new AppError("not_found", "WAREHOUSE.NOT_MANAGED", `Location ${location} is not managed by the warehouse module: it has no stored layout`);
  return { locationId, warehouse };
}

// ---- waves → pick tasks -------------------------------------------------------------------------------------

export interface ReleasedTask {
  id: string;
  wave: number;
  cutoffAt: string | null;
  orders: string[];
  lines: number;
  units: number;
  routeLengthM: number;
}

export interface ReleaseOutcome {
  tasks: ReleasedTask[];
  /** Routed orders left for a later wave (a later cut-off) or not pickable here (units in no bin). */
  waiting: { orderId: string; reason: string }[];
}

/**
 * Releases the first wave of the location's routed orders: waves by carrier cut-off (the location's daily cut-off,
 * ADR 0030), batches under the cart capacity (ILS), each batch a pick task whose lines are in the order of its
 * optimal route; bins by assignBins. Every released order moves routed → picking in the same transaction. An order
 * some of whose units are in no bin is not released (listed). Releasing again releases only orders still routed.
 */
export async function releaseWave(shopId: string, location: string, opts: { actor: string; now?: Date; capacityItems?: number; maxOrders?: number }): Promise<ReleaseOutcome> {
  const now = opts.now ?? new Date();
  const capacity = opts.capacityItems ?? DEFAULT_CART_ITEMS;
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > 500) throw new AppError("invalid_data", "WAVE.BAD_CAPACITY", `capacityItems must be a whole number from 1 to 500 (got ${opts.capacityItems})`);
  return database().transaction(async (tx) => {
    const { locationId, warehouse } = await managed(tx, shopId, location);
    const layout = warehouse.layout;
    const needs = await routedNeedsAt(tx, shopId, locationId, Math.min(opts.maxOrders ?? MAX_WAVE_ORDERS, MAX_WAVE_ORDERS));
    const waiting: ReleaseOutcome["waiting"] = [];
    if (needs.length === 0) return { tasks: [], waiting };
    const supplies = await binSupplies(tx, shopId, locationId, [...new Set(needs.map((n) => n.variantId))]);
    const first = assignBins(layout, needs, supplies);
    const blocked = new Set(first.missing.map((m) => m.orderId));
    for (const orderId of blocked) waiting.push({ orderId, reason: `${first.missing.filter((m) => m.orderId === orderId).reduce((n, m) => n + m.quantity, 0)} unit(s) are in no bin of this location` });
    const pickable: PickNeed[] = needs.filter((n) => !blocked.has(n.orderId));
    if (pickable.length === 0) return { tasks: [], waiting };
    const { lines } = assignBins(layout, pickable, supplies);
    const cutoff = (await tx.get<{ carrierCutoff: string }>(`SELECT "carrierCutoff" FROM "Location" WHERE "shopId" = ? AND "id" = ?`, shopId, locationId))?.carrierCutoff ?? "16:00";
    const promised = new Map(needs.map((n) => [n.orderId, n.promisedBy]));
    const orderIds = [...new Set(lines.map((l) => l.orderId))];
    const orders: WaveBatchOrder[] = orderIds.map((id) => ({
      id, carrier: "location", priority: 0, promiseDate: promised.get(id)?.slice(0, 10) ?? null,
      picks: lines.filter((l) => l.orderId === id).map((l) => ({ aisle: l.aisle, yM: l.yM, quantity: l.quantity })),
    }));
    const cart = Math.max(capacity, ...orders.map(itemsOf));
    const waves = planWavesAndBatches(layout, orders, { now: now.toISOString(), carriers: [{ carrier: "location", cutoffs: [cutoff] }] }, { capacityItems: cart, algorithm: "ils", timeLimitMs: 2000 });
    const wave = waves[0];
    for (const w of waves.slice(1)) for (const id of w.orderIds) waiting.push({ orderId: id, reason: `waits for wave ${w.number} (cut-off ${w.cutoffLocal ?? "none"})` });
    const tasks: ReleasedTask[] = [];
    const ctx: AllocationContext = { tx, shopId, now, actor: opts.actor };
    for (const batch of wave.batching.batches) {
      const released: string[] = [];
      for (const orderId of batch.orderIds) {
        const order = await getOrder(tx, shopId, orderId); // locked: its status moves
        if (!order || order.status !== "routed") continue;
        const verdict = canTransition("routed", "picking", await orderFacts(ctx, orderId));
        if (!verdict.ok) {
          waiting.push({ orderId, reason: `not pickable: ${verdict.reason}` });
          continue;
        }
        await setOrderStatus(tx, shopId, orderId, "picking");
        await audit(tx, shopId, opts.actor, "order.picking", { type: "order", id: orderId }, { locationId, wave: wave.number });
        released.push(orderId);
      }
      if (released.length === 0) continue;
      const taskLines = lines.filter((l) => released.includes(l.orderId));
      const routed = routeOrder(layout, taskLines);
      const id = await insertPickTask(tx, shopId, { locationId, wave: wave.number, cutoffAt: wave.cutoffAt, routeLengthM: routed.route.lengthM, routeAlgorithm: routed.route.algorithm, routeExact: routed.route.exact }, routed.lines);
      tasks.push({ id, wave: wave.number, cutoffAt: wave.cutoffAt, orders: released, lines: taskLines.length, units: taskLines.reduce((n, l) => n + l.quantity, 0), routeLengthM: routed.route.lengthM });
    }
    return { tasks, waiting };
  });
}

// ---- the pick task on the handheld --------------------------------------------------------------------------

export interface PickLineView {
  id: string;
  seq: number;
  order: string;
  orderId: string;
  sku: string;
  bin: string;
  lot: string;
  quantity: number;
  picked: number;
  short: number;
  status: string;
}

export interface PickTaskView {
  id: string;
  wave: number;
  cutoffAt: string | null;
  status: string;
  routeLengthM: number;
  routeAlgorithm: string;
  exact: boolean;
  lines: PickLineView[];
  /** The first open line in route order (null: the task is done). */
  next: PickLineView | null;
  /** The route of the task drawn on the location's map (SVG). */
  mapSvg: string;
}

const lineView = (l: PickLineRow): PickLineView => ({ id: l.id, seq: l.seq, order: l.orderName ?? l.orderId, orderId: l.orderId, sku: l.sku, bin: l.binCode, lot: l.lot, quantity: l.quantity, picked: l.picked, short: l.short, status: l.status });

async function taskView(shopId: string, task: PickTaskRow, warehouse: WarehouseRow): Promise<PickTaskView> {
  // A cancelled order's lines are closed (ADR 0033): not shown, not on the drawn route.
  const lines = (await linesOfTask(database(), shopId, task.id)).filter((l) => l.status !== "cancelled");
  const route = routeOrder(warehouse.layout, lines);
  const bays = (warehouse.generator as { baysPerAisle?: number } | null)?.baysPerAisle;
  const mapSvg = renderRouteMap({ layout: warehouse.layout, route: route.route, ...(bays ? { binsPerSide: bays } : {}), title: `Pick task, wave ${task.wave}: ${lines.length} lines`, idPrefix: "pick" });
  const views = lines.map(lineView);
  return { id: task.id, wave: task.wave, cutoffAt: task.cutoffAt, status: task.status, routeLengthM: task.routeLengthM, routeAlgorithm: task.routeAlgorithm, exact: task.routeExact, lines: views, next: views.find((l) => l.status === "open") ?? null, mapSvg };
}

/** The location's open pick tasks (oldest first), each with its lines in route order and its map. */
export async function readPickTasks(shopId: string, location: string): Promise<{ locationId: string; open: PickTaskView[] }> {
  const { locationId, warehouse } = await managed(database(), shopId, location);
  const open = await pickTasksAt(database(), shopId, locationId, "open");
  return { locationId, open: await Promise.all(open.map((t) => taskView(shopId, t, warehouse))) };
}

export async function readPickTask(shopId: string, location: string, taskId: string): Promise<PickTaskView> {
  const { locationId, warehouse } = await managed(database(), shopId, location);
  const task = await pickTaskById(database(), shopId, taskId);
  if (!task || task.locationId !== locationId) throw new AppError("not_found", "PICK.TASK_NOT_FOUND", `No pick task ${JSON.stringify(taskId)} at this location`);
  return taskView(shopId, task, warehouse);
}

// ---- confirming picks ---------------------------------------------------------------------------------------

export interface PickScanInput {
  bin: string;
  code: string;
  quantity?: number;
  /** The handheld's key for this scan: sent twice (or by two workers with the same id), applied once. */
  scanId: string;
  worker?: string | null;
}

export interface PickOutcome {
  applied: boolean;
  line: PickLineView;
  taskDone: boolean;
}

async function lineAt(tx: Tx, shopId: string, locationId: string, pickLineId: string): Promise<PickLineRow> {
  const line = await pickLineById(tx, shopId, pickLineId);
  if (!line || line.locationId !== locationId) throw new AppError("not_found", "PICK.LINE_NOT_FOUND", `No pick line ${JSON.stringify(pickLineId)} at this location`);
  return line;
}

const scanIdOk = (scanId: string) => {
  if (typeof scanId !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/.test(scanId)) throw new AppError("invalid_data", "PICK.BAD_SCAN_ID", "scanId: 1–80 letters, digits or . _ : - (the handheld's key for this scan)");
};

/** Moves picked units from the line's bin to the staging bin, with the labour event; inside the caller's transaction. */
async function takeUnits(tx: Tx, shopId: string, line: PickLineRow, warehouse: WarehouseRow, quantity: number, scanId: string, worker: string | null, closesLine: boolean): Promise<void> {
  const staging = await ensureStagingBin(tx, shopId, line.locationId, warehouse.layout.depot);
  const ref = { type: "pick_line", id: line.id };
  await moveBinStock(tx, shopId, { locationId: line.locationId, binId: line.binId, variantId: line.variantId, lot: line.lot, delta: -quantity, reason: "pick", idempotencyKey: `pick:${line.id}:${scanId}:out`, ref });
  await moveBinStock(tx, shopId, { locationId: line.locationId, binId: staging, variantId: line.variantId, lot: line.lot, delta: quantity, reason: "pick", idempotencyKey: `pick:${line.id}:${scanId}:in`, ref });
  await insertLabourEvents(tx, shopId, [{ locationId: line.locationId, worker, kind: "pick", naturalKey: `pick:${line.id}:${scanId}`, lines: closesLine ? 1 : 0, units: quantity }]);
  // A bin the pick left empty is counted (an empty bin is the cheapest moment to check it holds nothing else).
  await countIfBinEmptied(tx, shopId, { locationId: line.locationId, binId: line.binId, sourceKey: `pick:${line.id}:${scanId}`, worker });
}

/**
 * A pick confirmed by scanning the bin, then the SKU (or its barcode), for `quantity` units (default: what the line
 * still needs). Wrong bin, wrong SKU, more than the line needs: refused (409) and nothing changes. The scan id is
 * recorded with the pick: the same scan again answers `applied: false`; two different scans of the same units meet
 * the compare-and-set on the line's picked quantity, so only one applies (the other is an over-pick).
 */
export async function confirmPick(shopId: string, location: string, pickLineId: string, scan: PickScanInput): Promise<PickOutcome> {
  scanIdOk(scan.scanId);
  const result = await database().transaction(async (tx) => {
    const { locationId, warehouse } = await managed(tx, shopId, location);
    const line = await lineAt(tx, shopId, locationId, pickLineId);
    if (await tx.get(`SELECT 1 AS "x" FROM "PickScan" WHERE "shopId" = ? AND "pickLineId" = ? AND "scanId" = ?`, shopId, line.id, scan.scanId)) return { applied: false, taskDone: false };
    const check = checkPickScan({ binCode: line.binCode, sku: line.sku, quantity: line.quantity, picked: line.picked, short: line.short, status: line.status }, scan);
    if (!check.ok) throw new AppError("conflict", check.code, check.message, { pickLineId: line.id, bin: line.binCode, sku: line.sku, remaining: line.quantity - line.picked - line.short });
    if (!(await insertPickScan(tx, shopId, line.id, scan.scanId, check.quantity, scan.worker ?? null))) return { applied: false, taskDone: false };
    if (!(await advancePickLine(tx, shopId, line.id, { picked: line.picked, short: line.short }, { picked: check.quantity, short: 0 }))) {
      throw new RetryableConflict(`Pick line ${line.id} changed while confirming`); // read again: the retry answers over-pick or done
    }
    await takeUnits(tx, shopId, line, warehouse, check.quantity, scan.scanId, scan.worker ?? null, line.picked + line.short + check.quantity >= line.quantity);
    return { applied: true, taskDone: await closeTaskIfDone(tx, shopId, line.taskId) };
  });
  const line = (await pickLineById(database(), shopId, pickLineId))!;
  return { applied: result.applied, line: lineView(line), taskDone: result.taskDone };
}

export interface ShortPickInput {
  bin: string;
  /** Units found and taken now (0: the bin is empty). */
  found: number;
  scanId: string;
  worker?: string | null;
}

export interface ShortPickOutcome {
  applied: boolean;
  line: PickLineView;
  shortQuantity: number;
  unitsRerouted: number;
  unitsBackordered: number;
  countIds: string[];
}

/**
 * A short pick: the bin holds fewer units than the line needs. What was found is picked as usual; the line closes
 * short; the order's reservation here shrinks by the missing units, which are routed again without this location
 * (reserved elsewhere, or backordered) through the normal allocation; a count of the bin is requested
 * (cycle counts, reason short_pick); an exception row and an audit event `pick.short` record it. Once per line.
 */
export async function reportShortPick(shopId: string, location: string, pickLineId: string, report: ShortPickInput, opts: { actor: string; now?: Date }): Promise<ShortPickOutcome> {
  scanIdOk(report.scanId);
  const now = opts.now ?? new Date();
  const result = await database().transaction(async (tx) => {
    const { locationId, warehouse } = await managed(tx, shopId, location);
    const seen = await lineAt(tx, shopId, locationId, pickLineId);
    const order = await getOrder(tx, shopId, seen.orderId); // locked before its allocations change
    const line = await lineAt(tx, shopId, locationId, pickLineId);
    const existing = await pickExceptionOfLine(tx, shopId, line.id);
    if (existing) return { applied: false, shortQuantity: existing.shortQuantity, unitsRerouted: existing.unitsRerouted, unitsBackordered: existing.unitsBackordered, countIds: existing.countIds, decisionId: null };
    if (!order) throw new AppError("not_found", "ORDER.NOT_FOUND", `Order ${line.orderId} is gone`);
    const check = checkShortPick({ binCode: line.binCode, sku: line.sku, quantity: line.quantity, picked: line.picked, short: line.short, status: line.status }, report);
    if (!check.ok) throw new AppError("conflict", check.code, check.message, { pickLineId: line.id, bin: line.binCode, sku: line.sku });
    const worker = report.worker ?? null;
    if (check.found > 0 && !(await insertPickScan(tx, shopId, line.id, report.scanId, check.found, worker))) throw new AppError("conflict", "PICK.SCAN_REUSED", `Scan ${report.scanId} was recorded for this line already; nothing was changed`);
    if (!(await advancePickLine(tx, shopId, line.id, { picked: line.picked, short: line.short }, { picked: check.found, short: check.short }))) throw new RetryableConflict(`Pick line ${line.id} changed while reporting a short pick`);
    if (check.found > 0) await takeUnits(tx, shopId, line, warehouse, check.found, report.scanId, worker, true);
    else await insertLabourEvents(tx, shopId, [{ locationId, worker, kind: "pick", naturalKey: `pick:${line.id}:${report.scanId}`, lines: 1, units: 0 }]);

    // The missing units leave this location's reservation and are routed again without it.
    let left = check.short;
    for (const a of (await lineAllocations(tx, shopId, line.orderLineId, ["reserved"])).filter((x) => x.locationId === locationId).reverse()) {
      if (left === 0) break;
      const take = Math.min(left, Number(a.quantity));
      const releasedId = await splitAllocation(tx, shopId, { ...a, quantity: Number(a.quantity) }, take, "released", locationId);
      await moveReserved(tx, shopId, line.variantId, locationId, -take, "short_pick", `short_pick:${line.id}:${releasedId}`, { type: "order", id: order.id });
      left -= take;
    }
    const orderLine = (await orderLines(tx, shopId, order.id)).find((l) => l.id === line.orderLineId)!;
    const ctx: AllocationContext = { tx, shopId, now, actor: opts.actor, excludeLocations: { orderId: order.id, locationIds: [locationId] } };
    const summary = await allocateLines(ctx, order, [{ line: orderLine, quantity: check.short - left }]);
    const counts = await openCycleCounts(tx, shopId, { locationId, binId: line.binId, sku: line.sku, reason: "short_pick", sourceKey: `short_pick:${line.id}`, worker });
    await insertPickException(tx, shopId, { pickLineId: line.id, orderId: order.id, locationId, binId: line.binId, variantId: line.variantId, shortQuantity: check.short, unitsRerouted: summary.unitsReserved, unitsBackordered: summary.unitsBackordered, countIds: counts.ids, worker });
    await audit(tx, shopId, opts.actor, "pick.short", { type: "order", id: order.id }, { locationId, binId: line.binId, binCode: line.binCode, sku: line.sku, shortQuantity: check.short, pickLineId: line.id });
    await closeTaskIfDone(tx, shopId, line.taskId);
    // Nothing of the order picked here and nothing left to pick: it is not being picked any more (it waits, routed).
    const here = await linesOfOrderAt(tx, shopId, order.id, locationId);
    if (here.every((l) => l.status !== "open" && l.picked === 0) && order.status === "picking" && canTransition("picking", "routed", await orderFacts(ctx, order.id)).ok) {
      await setOrderStatus(tx, shopId, order.id, "routed");
      await audit(tx, shopId, opts.actor, "order.routed", { type: "order", id: order.id }, { reason: "short_pick", locationId });
    }
    return { applied: true, shortQuantity: check.short, unitsRerouted: summary.unitsReserved, unitsBackordered: summary.unitsBackordered, countIds: counts.ids, decisionId: summary.decisionId };
  });
  if (result.applied && result.decisionId) {
    const line = (await pickLineById(database(), shopId, pickLineId))!;
    await enqueueReallocations(shopId, [{ orderId: line.orderId, decisionId: result.decisionId }]);
    await enqueueChannelStockSync({ shopId });
  }
  const line = (await pickLineById(database(), shopId, pickLineId))!;
  return { applied: result.applied, line: lineView(line), shortQuantity: result.shortQuantity, unitsRerouted: result.unitsRerouted, unitsBackordered: result.unitsBackordered, countIds: result.countIds };
}

// ---- packing ------------------------------------------------------------------------------------------------

export interface PackView {
  orderId: string;
  /** The order's id in its channel (Shopify's legacy order id). */
  orderExternalId: string;
  order: string;
  orderStatus: string;
  status: "not_started" | PackRow["status"];
  items: { sku: string; picked: number; verified: number }[];
  missing: { sku: string; missing: number }[];
  ready: boolean;
  carrier: string | null;
  trackingNumber: string | null;
  packages: PackRow["packages"];
  fulfillmentId: string | null;
  error: string | null;
}

async function packItems(q: Tx | ReturnType<typeof database>, shopId: string, orderId: string, locationId: string, packId: string | null): Promise<{ items: (PackItem & { sku: string })[]; lines: PickLineRow[] }> {
  const lines = await linesOfOrderAt(q, shopId, orderId, locationId);
  const verified = packId ? await verifiedOf(q, shopId, packId) : new Map<string, number>();
  const byVariant = new Map<string, PackItem>();
  for (const l of lines) {
    const item = byVariant.get(l.variantId) ?? { variantId: l.variantId, sku: l.sku, picked: 0, verified: verified.get(l.variantId) ?? 0 };
    item.picked += l.picked;
    byVariant.set(l.variantId, item);
  }
  return { items: [...byVariant.values()].filter((i) => i.picked > 0), lines };
}

export async function readPack(shopId: string, location: string, orderId: string): Promise<PackView> {
  const db = database();
  const locationId = await requireLocation(db, shopId, location);
  const order = await db.get<{ id: string; name: string | null; status: string; externalId: string }>(`SELECT "id","name","status","externalId" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, shopId, orderId);
  if (!order) throw new AppError("not_found", "ORDER.NOT_FOUND", `No order ${JSON.stringify(orderId)} in this shop`);
  const pack = await packOf(db, shopId, orderId, locationId);
  const { items } = await packItems(db, shopId, orderId, locationId, pack?.id ?? null);
  const missing = unverified(items);
  return {
    orderId, orderExternalId: order.externalId, order: order.name ?? orderId, orderStatus: order.status, status: pack?.status ?? "not_started", items: items.map((i) => ({ sku: i.sku, picked: i.picked, verified: i.verified })), missing,
    ready: items.length > 0 && missing.length === 0, carrier: pack?.carrier ?? null, trackingNumber: pack?.trackingNumber ?? null, packages: pack?.packages ?? [], fulfillmentId: pack?.fulfillmentId ?? null, error: pack?.error ?? null,
  };
}

export async function listReadyToPack(shopId: string, location: string) {
  const locationId = await requireLocation(database(), shopId, location);
  return ordersReadyToPack(database(), shopId, locationId);
}

/** Packing starts with every pick of the order here finished, the order picking. */
function requirePackable(order: { status: string } | undefined, lines: PickLineRow[], orderId: string): void {
  if (!order) throw new AppError("not_found", "ORDER.NOT_FOUND", `No order ${JSON.stringify(orderId)} in this shop`);
  if (lines.length === 0) throw new AppError("conflict", "PACK.NOT_PICKED", `Order ${orderId} has no picks at this location: release and pick its wave first`);
  const open = lines.filter((l) => l.status === "open");
  if (open.length > 0) throw new AppError("conflict", "PACK.PICK_OPEN", `Picking is not finished: ${open.map((l) => `${l.sku} from ${l.binCode}`).join(", ")} still to pick. Nothing was recorded.`);
}

/** A packing scan: one unit (or `quantity`) of an item picked for the order; anything else refused, nothing recorded. */
export async function packScan(shopId: string, location: string, orderId: string, scan: { code: string; quantity?: number; scanId: string; worker?: string | null }): Promise<PackView & { applied: boolean }> {
  scanIdOk(scan.scanId);
  const applied = await database().transaction(async (tx) => {
    const { locationId } = await managed(tx, shopId, location);
    const order = await getOrder(tx, shopId, orderId);
    const { lines } = await packItems(tx, shopId, orderId, locationId, null);
    requirePackable(order, lines, orderId);
    if (order!.status !== "picking") throw new AppError("conflict", "PACK.CLOSED", `Order ${orderId} is ${order!.status}: it is not being packed. Nothing was recorded.`);
    const pack = await ensurePack(tx, shopId, orderId, locationId, scan.worker ?? null);
    if (pack.status !== "packing") throw new AppError("conflict", "PACK.CLOSED", `The package of this order is closed (${pack.status}); nothing was recorded`);
    if (await tx.get(`SELECT 1 AS "x" FROM "PackScan" WHERE "shopId" = ? AND "packId" = ? AND "scanId" = ?`, shopId, pack.id, scan.scanId)) return false;
    const { items } = await packItems(tx, shopId, orderId, locationId, pack.id);
    const check = checkPackScan(items, scan);
    if (!check.ok) throw new AppError("conflict", check.code, check.message);
    return insertPackScan(tx, shopId, pack.id, scan.scanId, check.variantId, check.quantity);
  });
  return { ...(await readPack(shopId, location, orderId)), applied };
}

/**
 * Closes the package: every picked unit verified, carrier, tracking and packages recorded; the order moves
 * picking → packed; the pack labour event's duration runs from the first verify scan to now. A job then ships it.
 * The same close again (same tracking) answers the pack as it is.
 */
export async function closePackage(shopId: string, location: string, orderId: string, input: Partial<CloseInput> & { worker?: string | null }, opts: { actor: string; now?: Date }): Promise<PackView & { applied: boolean }> {
  const problems = closeProblems(input);
  if (problems.length > 0) throw new AppError("invalid_data", "PACK.INVALID", `Package not closed: ${problems.join("; ")}`, { problems });
  const c = input as CloseInput;
  const now = opts.now ?? new Date();
  const result = await database().transaction(async (tx) => {
    const { locationId } = await managed(tx, shopId, location);
    const order = await getOrder(tx, shopId, orderId);
    const existing = await packOf(tx, shopId, orderId, locationId);
    if (existing?.status === "cancelled") throw new AppError("conflict", "PACK.CANCELLED", `Order ${orderId} was cancelled: its package is cancelled and its picked units go back to storage by a putaway. Nothing was closed.`);
    if (existing && existing.status !== "packing") {
      if (existing.trackingNumber === c.trackingNumber.trim()) return { applied: false, packId: existing.id, status: existing.status };
      throw new AppError("conflict", "PACK.CLOSED", `The package of this order is ${existing.status} already with tracking ${existing.trackingNumber}; nothing was changed`);
    }
    const { items, lines } = await packItems(tx, shopId, orderId, locationId, existing?.id ?? null);
    requirePackable(order, lines, orderId);
    if (!existing) throw new AppError("conflict", "PACK.NOT_VERIFIED", "Nothing was verified yet: scan every picked item before closing the package");
    const missing = unverified(items);
    if (missing.length > 0) throw new AppError("conflict", "PACK.NOT_VERIFIED", `Not every picked item was verified: ${missing.map((m) => `${m.sku} ×${m.missing}`).join(", ")} still to scan. Nothing was closed.`, { missing });
    const pack = (await lockPack(tx, shopId, existing.id))!;
    if (!(await closePack(tx, shopId, pack.id, { carrier: c.carrier.trim(), service: c.service?.trim() || null, trackingNumber: c.trackingNumber.trim(), packages: c.packages, worker: input.worker ?? null }, now.toISOString()))) {
      throw new RetryableConflict(`Pack ${pack.id} was closed meanwhile`);
    }
    const facts = await orderFacts({ tx, shopId, now, actor: opts.actor }, orderId);
    const verdict = canTransition(order!.status, "packed", facts);
    if (!verdict.ok) throw new AppError("conflict", "PACK.ORDER_STATUS", `Order ${orderId} cannot become packed: ${verdict.reason}. Nothing was closed.`);
    await setOrderStatus(tx, shopId, orderId, "packed");
    await audit(tx, shopId, opts.actor, "order.packed", { type: "order", id: orderId }, { locationId, carrier: c.carrier, packages: c.packages.length });
    const started = pack.firstScanAt ? Date.parse(pack.firstScanAt) : now.getTime();
    await insertLabourEvents(tx, shopId, [{ locationId, worker: input.worker ?? pack.worker, kind: "pack", naturalKey: `pack:${pack.id}`, lines: items.length, units: items.reduce((n, i) => n + i.picked, 0), durationMs: Math.max(0, now.getTime() - started), at: now.toISOString() }]);
    return { applied: true, packId: pack.id, status: "packed" as const };
  });
  if (result.status === "packed") await enqueueShipPack(shopId, result.packId);
  return { ...(await readPack(shopId, location, orderId)), applied: result.applied };
}

// ---- shipping -----------------------------------------------------------------------------------------------

export const SHIP_PACK_JOB = "warehouse-ship-pack";
const SHIP_ATTEMPTS = 8;

export interface ShipPackData {
  shopId: string;
  packId: string;
}

export async function enqueueShipPack(shopId: string, packId: string): Promise<void> {
  await queue().enqueue<ShipPackData>(SHIP_PACK_JOB, { shopId, packId }, { jobId: `ship-pack:${packId}`, attempts: SHIP_ATTEMPTS, backoffMs: 30_000 });
}

const gid = (type: string, id: string) => `gid://shopify/${type}/${id}`;
const legacy = (g: string) => g.split("/").pop()!;

/**
 * The fulfillment in Shopify for the packed units: the order's fulfillment order lines at this location. Lost
 * replies are covered by reading the order's fulfillments first: one carrying this tracking number is ours already.
 */
export async function createShopifyFulfillment(shopDomain: string, orderExternalId: string, locationExternalId: string, lines: { lineExternalId: string; quantity: number }[], tracking: { company: string; number: string }): Promise<string> {
  const orderGid = gid("Order", orderExternalId);
  const done = await adminGraphql<OrderFulfillmentsResult>(shopDomain, ORDER_FULFILLMENTS_QUERY, { id: orderGid });
  if (!done.order) throw new TerminalJobError(`Order ${orderExternalId} is not in ${shopDomain}`);
  const mine = done.order.fulfillments.find((f) => f.status === "SUCCESS" && f.trackingInfo.some((t) => t.number === tracking.number));
  if (mine) return legacy(mine.id);
  const fos = await adminGraphql<OrderFulfillmentOrdersResult>(shopDomain, ORDER_FULFILLMENT_ORDERS_QUERY, { id: orderGid, first: 10, after: null });
  const here = (fos.order?.fulfillmentOrders.nodes ?? []).filter((fo) => (fo.status === "OPEN" || fo.status === "IN_PROGRESS") && fo.assignedLocation.location && legacy(fo.assignedLocation.location.id) === locationExternalId);
  const wanted = new Map(lines.map((l) => [l.lineExternalId, l.quantity]));
  const byFo: FulfillmentCreateVariables["fulfillment"]["lineItemsByFulfillmentOrder"] = [];
  for (const fo of here) {
    const items: { id: string; quantity: number }[] = [];
    for (const li of fo.lineItems.nodes) {
      const want = wanted.get(legacy(li.lineItem.id)) ?? 0;
      const take = Math.min(want, li.remainingQuantity);
      if (take <= 0) continue;
      items.push({ id: li.id, quantity: take });
      wanted.set(legacy(li.lineItem.id), want - take);
    }
    if (items.length > 0) byFo.push({ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: items });
  }
  const short = [...wanted].filter(([, q]) => q > 0);
  if (short.length > 0) throw new Error(`Shopify's fulfillment orders of order ${orderExternalId} at location ${locationExternalId} do not hold ${short.map(([l, q]) => `${q} of line ${l}`).join(", ")} (yet): retried`);
  const result = await adminGraphql<FulfillmentCreateResult>(shopDomain, FULFILLMENT_CREATE_MUTATION, { fulfillment: { lineItemsByFulfillmentOrder: byFo, notifyCustomer: false, trackingInfo: tracking } } satisfies FulfillmentCreateVariables);
  const payload = result.fulfillmentCreate;
  if (!payload || payload.userErrors.length > 0 || !payload.fulfillment) throw new Error(`fulfillmentCreate for order ${orderExternalId} refused: ${payload?.userErrors.map((e) => e.message).join("; ") ?? "no payload"}`);
  return legacy(payload.fulfillment.id);
}

/**
 * Ships a packed pack (the job): the fulfillment is created in the channel — Shopify: fulfillmentCreate with the
 * tracking, then applied here as Shopify's own fulfillment (the same key its webhook carries, so that webhook changes
 * nothing); other channels: a shipment we record (ship-order.ts, its own channel confirmation). Then, in one
 * transaction, the staging bin gives up the units (a ledger row per pick line), the pack is shipped and the ship
 * labour event recorded. The order moves packed → shipped (or partially_shipped) through the status machine.
 */
export async function shipPack(shopId: string, packId: string, opts: { actor?: string; now?: Date } = {}): Promise<"shipped" | "skipped"> {
  const actor = opts.actor ?? "job:warehouse-ship";
  const db = database();
  const pack = await packById(db, shopId, packId);
  if (!pack || pack.status !== "packed") return "skipped";
  const order = await orderWithChannel(db, shopId, pack.orderId);
  if (!order) return "skipped";
  const pickLines = (await linesOfOrderAt(db, shopId, pack.orderId, pack.locationId)).filter((l) => l.picked > 0);
  const external = new Map((await orderLines(db, shopId, pack.orderId)).map((l) => [l.id, l]));
  const perLine = new Map<string, number>();
  for (const l of pickLines) perLine.set(l.orderLineId, (perLine.get(l.orderLineId) ?? 0) + l.picked);
  const lines = [...perLine].map(([id, quantity]) => ({ lineExternalId: external.get(id)!.externalId, quantity, sku: external.get(id)!.sku }));
  const locationExternalId = (await locationExternalIdOf(db, shopId, pack.locationId))!;
  const warehouse = (await findWarehouse(db, shopId, pack.locationId))!;
  const now = opts.now ?? new Date();

  let fulfillmentId: string;
  let reallocated: { orderId: string; decisionId: string }[] = [];
  try {
    if (order.channelKind === "shopify") {
      fulfillmentId = await createShopifyFulfillment(order.shopDomain, order.externalId, locationExternalId, lines, { company: pack.carrier!, number: pack.trackingNumber! });
    } else {
      const shipped = await shipOrder(shopId, pack.orderId, {
        externalId: `pack-${pack.id}`.slice(0, 64), location: pack.locationId, carrier: pack.carrier!, trackingNumber: pack.trackingNumber!, ...(pack.service ? { service: pack.service } : {}),
        lines: lines.map((l) => ({ lineId: l.lineExternalId, quantity: l.quantity })),
      }, { actor, now });
      fulfillmentId = `shipment:${shipped.shipment.id}`;
    }
  } catch (error) {
    await setPackError(db, shopId, pack.id, (error as Error).message.slice(0, 500));
    throw error;
  }

  await db.transaction(async (tx) => {
    const locked = await lockPack(tx, shopId, pack.id);
    if (!locked || locked.status !== "packed") return;
    if (order.channelKind === "shopify") {
      const applied = await applyFulfillment({ tx, shopId, now, actor }, order.channelId, {
        externalId: fulfillmentId, orderExternalId: order.externalId, status: "success", standing: true, locationExternalId, lines,
        tracking: { company: pack.carrier, numbers: [pack.trackingNumber!], urls: [] }, createdAt: now.toISOString(),
      }, { shopifyShipped: true });
      if (!applied) throw new AppError("unexpected_state", "SHIP.ORDER_GONE", `Order ${pack.orderId} could not be read while shipping`);
      reallocated = applied.reallocated;
    }
    const staging = await ensureStagingBin(tx, shopId, pack.locationId, warehouse.layout.depot);
    for (const l of pickLines) {
      await moveBinStock(tx, shopId, { locationId: pack.locationId, binId: staging, variantId: l.variantId, lot: l.lot, delta: -l.picked, reason: "shipped", idempotencyKey: `ship:${pack.id}:${l.id}`, ref: { type: "pack", id: pack.id } });
    }
    await markPackShipped(tx, shopId, pack.id, fulfillmentId, now.toISOString());
    await insertLabourEvents(tx, shopId, [{ locationId: pack.locationId, worker: pack.worker, kind: "ship", naturalKey: `ship:${pack.id}`, lines: lines.length, units: lines.reduce((n, l) => n + l.quantity, 0), at: now.toISOString() }]);
    await audit(tx, shopId, actor, "pack.shipped", { type: "order", id: pack.orderId }, { locationId: pack.locationId, fulfillmentId, carrier: pack.carrier, trackingNumber: pack.trackingNumber });
  });
  await enqueueReallocations(shopId, reallocated);
  await enqueueChannelStockSync({ shopId });
  return "shipped";
}

export const shipPackJob: JobDefinition<ShipPackData> = {
  name: SHIP_PACK_JOB,
  concurrency: 2,
  attempts: SHIP_ATTEMPTS,
  async perform(job) {
    await shipPack(job.data.shopId, job.data.packId);
  },
};
