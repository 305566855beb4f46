import type { Disposition } from "~/domain/returns/policy";
import type { ReturnStatus } from "~/domain/returns/status";
import { auditOfSubject } from "../db/audit";
import type { Queryable } from "../db/database";
import { returnLines, type ReturnRow } from "../db/returns-sql";

// What a page, the portal or the API shows of an RMA: its lines with what happened to them, where it goes, the
// label, an exchange's replacement, the Shopify mirror and the timeline (AuditEvent rows of subject `return`).

export interface ReturnView {
  number: string;
  status: ReturnStatus;
  orderId: string;
  orderName: string;
  source: string;
  note: string | null;
  createdAt: string;
  updatedAt: string;
  receivingLocation: { id: string; name: string; reason: string | null } | null;
  label: { carrier: string; trackingNumber: string; issuedAt: string | null; url: string } | null;
  lines: {
    id: string;
    orderLineId: string;
    sku: string | null;
    title: string;
    quantity: number;
    reason: string;
    condition: string;
    replacementSku: string | null;
    received: number;
    disposition: Disposition | null;
    held: number;
    restocked: number;
  }[];
  exchange: { replacementOrderId: string | null; holdUntil: string | null } | null;
  shopify: { returnId: string | null; sync: string; error: string | null };
  timeline: { action: string; actor: string; at: string; data: Record<string, unknown> }[];
}

export const labelUrl = (number: string) => `/api/v1/returns/${encodeURIComponent(number)}/label.pdf`;

export async function returnView(q: Queryable, shopId: string, row: ReturnRow): Promise<ReturnView> {
  const lines = await returnLines(q, shopId, row.id);
  const replacementIds = [...new Set(lines.map((l) => l.replacementVariantId).filter((v): v is string => v !== null))];
  const skus = new Map<string, string>();
  for (const id of replacementIds) {
    const v = await q.get<{ sku: string }>(`SELECT "sku" FROM "Variant" WHERE "shopId" = ? AND "id" = ?`, shopId, id);
    if (v) skus.set(id, v.sku);
  }
  const order = await q.get<{ name: string }>(`SELECT "name" FROM "Order" WHERE "shopId" = ? AND "id" = ?`, shopId, row.orderId);
  const location = row.locationId ? await q.get<{ name: string }>(`SELECT "name" FROM "Location" WHERE "shopId" = ? AND "id" = ?`, shopId, row.locationId) : undefined;
  const events = await auditOfSubject(q, shopId, "return", row.id);
  return {
    number: row.number,
    status: row.status,
    orderId: row.orderId,
    orderName: order?.name ?? "",
    source: row.source,
    note: row.note,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    receivingLocation: row.locationId ? { id: row.locationId, name: location?.name ?? row.locationId, reason: row.locationReason } : null,
    label: row.labelTracking ? { carrier: row.labelCarrier ?? "", trackingNumber: row.labelTracking, issuedAt: row.labelIssuedAt, url: labelUrl(row.number) } : null,
    lines: lines.map((l) => ({
      id: l.id, orderLineId: l.orderLineId, sku: l.sku, title: l.title, quantity: l.quantity, reason: l.reason, condition: l.condition,
      replacementSku: l.replacementVariantId ? (skus.get(l.replacementVariantId) ?? null) : null,
      received: l.receivedQuantity, disposition: l.disposition, held: l.heldQuantity, restocked: l.restockedQuantity,
    })),
    exchange: replacementIds.length > 0 ? { replacementOrderId: row.replacementOrderId, holdUntil: row.exchangeExpiresAt } : null,
    shopify: { returnId: row.shopifyReturnId, sync: row.shopifySync, error: row.shopifyError },
    timeline: events.map((e) => ({ action: e.action, actor: e.actor, at: e.createdAt, data: JSON.parse(e.data) as Record<string, unknown> })),
  };
}
