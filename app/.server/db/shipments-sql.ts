import type { ShipmentCarton, ShipmentLine } from "~/domain/fulfillment/shipment";
import type { Queryable, Tx } from "./engine/types";
import { newId, sqlTime } from "./ids";

// Shipments the app records (issue 12): the shipment, and its channel follow-up (Amazon's confirmShipment, a
// buyer's 856). Every statement takes the shop.

export type ChannelShipmentStatus = "pending" | "confirmed" | "failed" | "none";

export interface ShipmentRow {
  id: string;
  orderId: string;
  externalId: string;
  locationId: string | null;
  carrier: string;
  service: string | null;
  trackingNumber: string | null;
  lines: ShipmentLine[];
  cartons: ShipmentCarton[];
  contentHash: string;
  shippedAt: string;
  channelStatus: ChannelShipmentStatus;
  channelAttempts: number;
  channelError: string | null;
  channelConfirmedAt: string | null;
  createdAt: string;
}

type StoredRow = Omit<ShipmentRow, "lines" | "cartons"> & { lines: string; cartons: string };

const COLUMNS = `"id","orderId","externalId","locationId","carrier","service","trackingNumber","lines","cartons","contentHash","shippedAt","channelStatus","channelAttempts","channelError","channelConfirmedAt","createdAt"`;
const row = (r: StoredRow): ShipmentRow => ({ ...r, channelAttempts: Number(r.channelAttempts), lines: JSON.parse(r.lines) as ShipmentLine[], cartons: JSON.parse(r.cartons) as ShipmentCarton[] });

export interface NewShipment {
  orderId: string;
  externalId: string;
  locationId: string | null;
  carrier: string;
  service: string | null;
  trackingNumber: string | null;
  lines: ShipmentLine[];
  cartons: ShipmentCarton[];
  contentHash: string;
  shippedAt: string;
  channelStatus: ChannelShipmentStatus;
}

/** The shipment, once per (order, external id): its id, or null when one with that id is already recorded. */
export async function insertShipment(tx: Tx, shopId: string, s: NewShipment, at = sqlTime()): Promise<string | null> {
  const id = newId();
  const result = await tx.run(
    `INSERT INTO "Shipment" ("id","shopId","orderId","externalId","locationId","carrier","service","trackingNumber","lines","cartons","contentHash","shippedAt","channelStatus","createdAt")
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT ("shopId","orderId","externalId") DO NOTHING`,
    id, shopId, s.orderId, s.externalId, s.locationId, s.carrier, s.service, s.trackingNumber, JSON.stringify(s.lines), JSON.stringify(s.cartons), s.contentHash, s.shippedAt, s.channelStatus, at,
  );
  return result.changes > 0 ? id : null;
}

export async function shipmentByExternalId(q: Queryable, shopId: string, orderId: string, externalId: string): Promise<ShipmentRow | undefined> {
  const r = await q.get<StoredRow>(`SELECT ${COLUMNS} FROM "Shipment" WHERE "shopId" = ? AND "orderId" = ? AND "externalId" = ?`, shopId, orderId, externalId);
  return r && row(r);
}

export async function shipmentById(q: Queryable, shopId: string, id: string): Promise<ShipmentRow | undefined> {
  const r = await q.get<StoredRow>(`SELECT ${COLUMNS} FROM "Shipment" WHERE "shopId" = ? AND "id" = ?`, shopId, id);
  return r && row(r);
}

/** An order's shipments, in the order they were recorded. */
export async function orderShipments(q: Queryable, shopId: string, orderId: string): Promise<ShipmentRow[]> {
  return (await q.all<StoredRow>(`SELECT ${COLUMNS} FROM "Shipment" WHERE "shopId" = ? AND "orderId" = ? ORDER BY "createdAt", "id"`, shopId, orderId)).map(row);
}

export async function setShipmentChannelStatus(q: Queryable, shopId: string, id: string, status: ChannelShipmentStatus, error: string | null, at = sqlTime()): Promise<void> {
  await q.run(
    `UPDATE "Shipment" SET "channelStatus" = ?, "channelError" = ?, "channelConfirmedAt" = ? WHERE "shopId" = ? AND "id" = ?`,
    status, error === null ? null : error.slice(0, 1000), status === "confirmed" ? at : null, shopId, id,
  );
}

/** One more try at telling the channel; returns the attempt's number (1 for the first). */
export async function countShipmentAttempt(q: Queryable, shopId: string, id: string): Promise<number> {
  await q.run(`UPDATE "Shipment" SET "channelAttempts" = "channelAttempts" + 1 WHERE "shopId" = ? AND "id" = ?`, shopId, id);
  return Number((await q.get<{ n: number }>(`SELECT "channelAttempts" AS "n" FROM "Shipment" WHERE "shopId" = ? AND "id" = ?`, shopId, id))?.n ?? 0);
}

/** Units reserved per order line and location (where a shipment's units can leave from by default). */
export async function reservedByLine(q: Queryable, shopId: string, orderId: string): Promise<{ orderLineId: string; locationId: string; units: number }[]> {
  return q.all(
    `SELECT a."orderLineId", a."locationId", SUM(a."quantity") AS "units" FROM "Allocation" a JOIN "OrderLine" l ON l."id" = a."orderLineId"
     WHERE l."shopId" = ? AND l."orderId" = ? AND a."status" = 'reserved' AND a."locationId" IS NOT NULL GROUP BY a."orderLineId", a."locationId"`,
    shopId, orderId,
  );
}

/** A location's id in Shopify (what fulfillments name their origin by). */
export async function locationExternalIdOf(q: Queryable, shopId: string, locationId: string): Promise<string | undefined> {
  return (await q.get<{ externalId: string }>(`SELECT "externalId" FROM "Location" WHERE "shopId" = ? AND "id" = ?`, shopId, locationId))?.externalId;
}
