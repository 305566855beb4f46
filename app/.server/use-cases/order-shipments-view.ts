import { randomUUID } from "node:crypto";
import type { ShipmentsCardProps } from "~/components/shipments-card";
import { listLocations } from "../db/catalog";
import { database } from "../db/database";
import { getOrder, orderLines } from "../db/pipeline-sql";
import { orderShipments } from "../db/shipments-sql";
import { channelById } from "../db/shops";
import { AppError } from "../errors";
import { shipOrder, shippableLines, type ShipOrderResult } from "./ship-order";

// The order page's shipments card: what was shipped, and the form that records the next shipment for an order
// we ship ourselves. The form posts what a merchant typed; it becomes the API's shipment body here, so the page
// and POST /api/v1/orders/:id/shipments record shipments the same way.

export async function orderShipmentsView(shopId: string, orderId: string): Promise<Pick<ShipmentsCardProps, "shipments" | "form">> {
  const db = database();
  const order = await getOrder(db, shopId, orderId);
  if (!order) return { shipments: [], form: null };
  const [shipments, channel] = await Promise.all([orderShipments(db, shopId, orderId), channelById(db, shopId, order.channelId)]);
  const view = shipments.map((s) => ({
    id: s.id, externalId: s.externalId, carrier: s.carrier, service: s.service, trackingNumber: s.trackingNumber, shippedAt: s.shippedAt,
    units: s.lines.reduce((n, l) => n + l.quantity, 0), cartons: s.cartons.length, channelStatus: s.channelStatus, channelError: s.channelError,
  }));
  if (!channel || channel.kind === "shopify" || order.status === "cancelled") return { shipments: view, form: null };
  const [open, lines, locations] = await Promise.all([shippableLines(shopId, orderId), orderLines(db, shopId, orderId), listLocations(db, shopId)]);
  const titles = new Map(lines.map((l) => [l.externalId, l.sku ?? l.externalId]));
  return {
    shipments: view,
    form: {
      // A fresh token per page load: submitting the same form twice records one shipment.
      token: randomUUID(),
      lines: open.map((l) => ({ lineId: l.externalId, sku: l.sku, title: titles.get(l.externalId) ?? l.externalId, open: l.open })),
      locations: locations.map((l) => ({ label: l.name, value: l.id })),
    },
  };
}

/** The page's form, as the API's body: quantities typed as text, blank fields left out, 0-unit lines dropped. */
export async function shipFromAdmin(shopId: string, orderId: string, form: FormData): Promise<ShipOrderResult> {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" && v.trim() !== "" ? v.trim() : undefined;
  };
  let lines: { lineId: string; quantity: string }[];
  try {
    lines = JSON.parse(text("lines") ?? "[]") as { lineId: string; quantity: string }[];
  } catch {
    throw new AppError("invalid_data", "SHIPMENT.INVALID", "Shipment not recorded: the line quantities could not be read", { problems: ["the line quantities could not be read"] });
  }
  const token = text("token");
  const tracking = text("trackingNumber");
  const body = {
    externalId: tracking ? undefined : token ? `admin-${token.slice(0, 40)}` : undefined,
    carrier: text("carrier") ?? "",
    service: text("service"),
    trackingNumber: tracking,
    location: text("location"),
    lines: lines.map((l) => ({ lineId: l.lineId, quantity: Number(l.quantity) })).filter((l) => l.quantity !== 0),
  };
  return shipOrder(shopId, orderId, body, { actor: "user" });
}
