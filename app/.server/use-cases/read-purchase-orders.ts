import { outstanding, type PurchaseOrderStatus } from "~/domain/inventory/purchase-orders";
import { database } from "../db/database";
import type { Queryable } from "../db/engine/types";
import { listPurchaseOrders as listRows, purchaseOrderLines, type PurchaseOrderListRow, type PurchaseOrderLineRow } from "../db/purchase-orders-sql";

// Purchase orders as the API and the admin page show them: each with its location, dates and lines (ordered,
// received, still to come, received beyond the order).

export interface PurchaseOrderView {
  number: string;
  supplier: string;
  status: PurchaseOrderStatus;
  location: { id: string; name: string };
  expectedAt: string;
  createdAt: string;
  updatedAt: string;
  lines: { lineNumber: number; sku: string; ordered: number; received: number; outstanding: number; overReceived: number }[];
}

export interface PurchaseOrderPage {
  purchaseOrders: PurchaseOrderView[];
  /** Pass as `cursor` for the next (older) page; null: this was the last. */
  nextCursor: string | null;
}

/** A page of the shop's purchase orders, newest first, optionally of one status. */
export async function listPurchaseOrders(shopId: string, opts: { status?: PurchaseOrderStatus; cursor?: string; limit?: number } = {}): Promise<PurchaseOrderPage> {
  const q = database();
  const limit = opts.limit ?? 50;
  const rows = await listRows(q, shopId, { status: opts.status, before: opts.cursor, limit: limit + 1 });
  const shown = rows.slice(0, limit);
  return { purchaseOrders: await withLines(q, shopId, shown), nextCursor: rows.length > limit ? shown[shown.length - 1].id : null };
}

/** One purchase order by number, or undefined. */
export async function readPurchaseOrder(q: Queryable, shopId: string, number: string): Promise<PurchaseOrderView | undefined> {
  return (await withLines(q, shopId, await listRows(q, shopId, { number, limit: 1 })))[0];
}

async function withLines(q: Queryable, shopId: string, rows: PurchaseOrderListRow[]): Promise<PurchaseOrderView[]> {
  const lines = await purchaseOrderLines(q, shopId, rows.map((r) => r.id));
  const byOrder = new Map<string, PurchaseOrderLineRow[]>();
  for (const l of lines) byOrder.set(l.purchaseOrderId, [...(byOrder.get(l.purchaseOrderId) ?? []), l]);
  return rows.map((r) => ({
    number: r.number,
    supplier: r.supplier,
    status: r.status,
    location: { id: r.locationId, name: r.locationName },
    expectedAt: r.expectedAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    lines: (byOrder.get(r.id) ?? []).map((l) => {
      const units = { variantId: l.variantId, ordered: Number(l.ordered), received: Number(l.received) };
      return { lineNumber: Number(l.lineNumber), sku: l.sku, ordered: units.ordered, received: units.received, outstanding: outstanding(units), overReceived: Math.max(0, units.received - units.ordered) };
    }),
  }));
}
