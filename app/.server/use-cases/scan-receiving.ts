import { lineReport, matchScan, receivingAccuracy, type LineReport, type ReceivingAccuracy } from "~/domain/warehouse/receiving";
import { database, type Queryable } from "../db/database";
import { findPurchaseOrder, purchaseOrderLines } from "../db/purchase-orders-sql";
import { insertScan, readPurchaseOrder, scannedByLine, scannedOrdersOfSupplier } from "../db/receiving-sql";
import { sqlTime } from "../db/ids";
import { insertLabourEvents } from "../db/labour-sql";
import { isManaged } from "../db/warehouse-sql";
import { AppError } from "../errors";
import { afterReceipt, applyReceipt, type AppliedReceipt } from "./record-receipt";

// Receiving against purchase orders with a scanner (issue 13, item 2; ADR 0029).

export interface ScanInput {
  /** What was scanned or typed: the SKU or the variant's barcode. */
  code: string;
  quantity: number;
  condition: "good" | "damaged";
  lot?: string;
  expiresAt?: string | null;
  /** The handheld's key for this one scan: sent again (a retry, a double tap), it is counted once. */
  scanId: string;
  worker?: string;
}

export interface ReceivingView {
  number: string;
  supplier: string;
  status: string;
  locationId: string;
  lines: LineReport[];
  accuracy: ReceivingAccuracy;
}

export interface ScanOutcome extends ReceivingView {
  /** False when this scan id was recorded already (nothing changed). */
  applied: boolean;
  line: LineReport;
}

/**
 * A scan against an open purchase order at a location managed by the warehouse module. Good units are a receipt
 * against the order (reference `scan:<order>:<scan id>`: received rises, incoming falls, on hand rises) that lands
 * in the location's receiving bin and joins its putaway, all in one transaction; damaged units are recorded and
 * stocked nowhere. A code not on the order, a draft or cancelled order, an unmanaged location: refused, nothing changes.
 */
export async function scanAtReceiving(shopId: string, number: string, scan: ScanInput, opts: { now?: Date } = {}): Promise<ScanOutcome> {
  if (!Number.isInteger(scan.quantity) || scan.quantity < 1) throw new AppError("invalid_data", "RECEIVING.BAD_QUANTITY", `A scan counts a whole number of units ≥ 1 (got ${scan.quantity}); nothing was recorded`);
  const reference = `scan:${number}:${scan.scanId}`;
  const result = await database().transaction(async (tx) => {
    const order = await findPurchaseOrder(tx, shopId, number);
    if (!order) throw new AppError("not_found", "RECEIVING.UNKNOWN_PURCHASE_ORDER", `No purchase order ${JSON.stringify(number)} in this shop`);
    if (order.status === "draft" || order.status === "cancelled") throw new AppError("conflict", "RECEIVING.NOT_OPEN", `Purchase order ${number} is ${order.status}: only an open order is received; nothing was recorded`);
    if (!(await isManaged(tx, shopId, order.locationId))) throw new AppError("conflict", "RECEIVING.NOT_MANAGED", `Purchase order ${number} is delivered to a location the warehouse module does not manage: store its layout first; nothing was recorded`);
    const lines = await purchaseOrderLines(tx, shopId, [order.id]);
    const line = matchScan(lines, scan.code);
    if (!line) throw new AppError("invalid_data", "RECEIVING.NOT_ON_ORDER", `${JSON.stringify(scan.code)} is not a SKU on purchase order ${number} (its SKUs: ${lines.map((l) => l.sku).join(", ")}); nothing was recorded`);
    const fresh = await insertScan(tx, shopId, { purchaseOrderId: order.id, purchaseOrderLineId: line.id, scanId: scan.scanId, condition: scan.condition, quantity: scan.quantity, lot: scan.lot ?? "", expiresAt: scan.expiresAt ?? null, worker: scan.worker ?? null });
    // Labour (ADR 0034): the scan is one receiving event of its worker, keyed by the scan, recorded with it.
    if (fresh) await insertLabourEvents(tx, shopId, [{ locationId: order.locationId, worker: scan.worker ?? null, kind: "receive", naturalKey: `receive:${order.id}:${scan.scanId}`, lines: 1, units: scan.quantity, at: sqlTime(opts.now) }]);
    let receipt: AppliedReceipt | undefined;
    if (fresh && scan.condition === "good") {
      receipt = await applyReceipt(tx, shopId, reference, [{ sku: line.sku, quantity: scan.quantity }], { now: opts.now, purchaseOrder: number, binLot: { lot: scan.lot ?? "", expiresAt: scan.expiresAt ?? null } });
    }
    return { applied: fresh, receipt, lineNumber: Number(line.lineNumber) };
  });
  if (result.receipt) await afterReceipt(shopId, reference, result.receipt);
  const view = await receivingView(database(), shopId, number);
  return { ...view, applied: result.applied, line: view.lines.find((l) => l.lineNumber === result.lineNumber)! };
}

/** A purchase order's receiving: per line ordered, good, damaged, over, short and outcome, and its accuracy. */
export async function receivingView(q: Queryable, shopId: string, number: string): Promise<ReceivingView> {
  const order = await readPurchaseOrder(q, shopId, number);
  if (!order) throw new AppError("not_found", "RECEIVING.UNKNOWN_PURCHASE_ORDER", `No purchase order ${JSON.stringify(number)} in this shop`);
  const lines = await reportLines(q, shopId, order.id);
  return { number: order.number, supplier: order.supplier, status: order.status, locationId: order.locationId, lines, accuracy: receivingAccuracy(lines) };
}

async function reportLines(q: Queryable, shopId: string, orderId: string): Promise<LineReport[]> {
  const scanned = await scannedByLine(q, shopId, [orderId]);
  return (await purchaseOrderLines(q, shopId, [orderId])).map((l) => {
    const s = scanned.get(l.id) ?? { good: 0, damaged: 0 };
    return lineReport({ lineNumber: Number(l.lineNumber), sku: l.sku, ordered: Number(l.ordered), good: s.good, damaged: s.damaged });
  });
}

/** A supplier's receiving accuracy over every order of theirs that was scanned (lines and units, all orders together). */
export async function supplierAccuracy(shopId: string, supplier: string): Promise<{ supplier: string; orders: string[]; accuracy: ReceivingAccuracy }> {
  const q = database();
  const orders = await scannedOrdersOfSupplier(q, shopId, supplier);
  const lines: LineReport[] = [];
  for (const o of orders) lines.push(...(await reportLines(q, shopId, o.id)));
  return { supplier, orders: orders.map((o) => o.number), accuracy: receivingAccuracy(lines) };
}
