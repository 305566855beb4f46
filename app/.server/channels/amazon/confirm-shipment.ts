import { alreadyConfirmed, confirmShipmentRequests } from "~/domain/channels/amazon-shipment";
import { shipmentPackages } from "~/domain/fulfillment/shipment";
import { amazonConnection } from "../../db/amazon-sql";
import { database } from "../../db/database";
import { orderLines } from "../../db/pipeline-sql";
import { orderShipments } from "../../db/shipments-sql";
import { AppError } from "../../errors";
import type { ConfirmShipmentInput } from "../channel-adapter";
import { spApiClient, type SpApiClient } from "./sp-api-client";

// A merchant-fulfilled Amazon order shipped by us: confirmShipment for each of the shipment's packages (the
// requests from app/domain/channels/amazon-shipment.ts). Confirming is not repeatable (Amazon would count the
// units twice), so the client throws on a timeout or 5xx instead of resending, and a later attempt first reads
// the order's items: a package whose units Amazon already shows shipped is not sent again.

interface OrderItemsPage {
  payload?: { OrderItems?: { OrderItemId: string; SellerSKU?: string; QuantityShipped?: number }[]; NextToken?: string };
}

export async function confirmAmazonShipment(input: ConfirmShipmentInput, opts: { client?: SpApiClient; sleep?: (ms: number) => Promise<void> } = {}): Promise<"confirmed" | "not-needed"> {
  const db = database();
  const connection = await amazonConnection(db, input.shopId, input.channel.id);
  if (!connection) throw new AppError("not_allowed", "AMAZON.NOT_CONNECTED", `Amazon channel ${input.channel.name} is not connected: the shipment cannot be confirmed to Amazon`);
  const client = opts.client ?? spApiClient({ key: input.channel.id, sellerId: connection.sellerId, marketplaceId: connection.marketplaceId, refreshToken: connection.refreshToken });
  const shipments = await orderShipments(db, input.shopId, input.orderId);
  const ordinal = shipments.findIndex((s) => s.id === input.shipmentId) + 1;
  if (ordinal === 0) throw new AppError("not_found", "SHIPMENT.NOT_FOUND", `No shipment ${input.shipmentId} of order ${input.orderExternalId}`);
  const shipment = shipments[ordinal - 1]!;

  // Lines taken in by the Orders API carry Amazon's OrderItemId; lines from a report without item ids are
  // matched to Amazon's items by SKU.
  const lines = await orderLines(db, input.shopId, input.orderId);
  const itemIds = new Map<string, string>();
  let items: Awaited<ReturnType<typeof readItems>> | undefined;
  for (const line of lines) {
    if (/^\d+$/.test(line.externalId)) itemIds.set(line.externalId, line.externalId);
    else {
      items ??= await readItems(client, input.orderExternalId, opts.sleep);
      const match = items.filter((i) => i.SellerSKU === line.sku);
      if (match.length === 1) itemIds.set(line.externalId, match[0]!.OrderItemId);
    }
  }
  const planned = confirmShipmentRequests(input.orderExternalId, connection.marketplaceId, shipment, ordinal, itemIds);
  if (!planned.ok) throw new AppError("invalid_data", "AMAZON.SHIPMENT_INVALID", `Shipment ${shipment.externalId} cannot be confirmed to Amazon: ${planned.problems.join("; ")}`);

  // Units per item our shipments up to and including each package sent: what Amazon shows once it landed.
  const before = new Map<string, number>();
  for (const earlier of shipments.slice(0, ordinal - 1)) for (const pkg of shipmentPackages(earlier)) for (const l of pkg.lines) {
    const id = itemIds.get(l.lineExternalId);
    if (id) before.set(id, (before.get(id) ?? 0) + l.quantity);
  }
  const amazonShipped = input.attempt > 1 ? new Map((items ?? (await readItems(client, input.orderExternalId, opts.sleep))).map((i) => [i.OrderItemId, i.QuantityShipped ?? 0])) : null;
  const upTo = new Map(before);
  for (const request of planned.requests) {
    for (const item of request.body.packageDetail.orderItems) upTo.set(item.orderItemId, (upTo.get(item.orderItemId) ?? 0) + item.quantity);
    if (amazonShipped && alreadyConfirmed(request, upTo, amazonShipped)) continue;
    await client.call("confirmShipment", "POST", `/orders/v0/orders/${encodeURIComponent(request.orderId)}/shipmentConfirmation`, { body: request.body, repeatable: false, sleep: opts.sleep });
  }
  return "confirmed";
}

async function readItems(client: SpApiClient, amazonOrderId: string, sleep?: (ms: number) => Promise<void>) {
  const out: NonNullable<NonNullable<OrderItemsPage["payload"]>["OrderItems"]> = [];
  let nextToken: string | undefined;
  do {
    const page = await client.call<OrderItemsPage>("getOrderItems", "GET", `/orders/v0/orders/${encodeURIComponent(amazonOrderId)}/orderItems`, { query: nextToken ? { NextToken: nextToken } : {}, sleep });
    out.push(...(page.payload?.OrderItems ?? []));
    nextToken = page.payload?.NextToken;
  } while (nextToken);
  return out;
}
