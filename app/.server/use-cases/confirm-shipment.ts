import { channelAdapter } from "../channels";
import { SpApiError } from "../channels/amazon/sp-api-client";
import { audit } from "../db/audit";
import { database } from "../db/database";
import { getOrder } from "../db/pipeline-sql";
import { countShipmentAttempt, setShipmentChannelStatus, shipmentById } from "../db/shipments-sql";
import { channelById } from "../db/shops";
import { AppError } from "../errors";
import { TerminalJobError } from "../queues/queue-port";

// The channel follow-up of a shipment we recorded (ship-order.ts): the adapter tells the channel (Amazon's
// confirmShipment) and the shipment says how that went: confirmed, or failed with the channel's answer when the
// channel refuses it (a refusal is final: retrying the same request gets the same answer) or attempts run out.

export async function confirmShipment(shopId: string, shipmentId: string, opts: { lastAttempt: boolean }): Promise<"confirmed" | "none" | "skipped"> {
  const db = database();
  const shipment = await shipmentById(db, shopId, shipmentId);
  if (!shipment || shipment.channelStatus !== "pending") return "skipped";
  const order = await getOrder(db, shopId, shipment.orderId);
  const channel = order && (await channelById(db, shopId, order.channelId));
  if (!order || !channel) return "skipped";
  const adapter = channelAdapter(channel.kind);
  if (!adapter.confirmShipment) {
    await setShipmentChannelStatus(db, shopId, shipmentId, "none", null);
    return "none";
  }
  const attempt = await countShipmentAttempt(db, shopId, shipmentId);
  try {
    const outcome = await adapter.confirmShipment({ shopId, channel, orderId: order.id, orderExternalId: order.externalId, shipmentId, attempt });
    const status = outcome === "confirmed" ? "confirmed" : "none";
    await setShipmentChannelStatus(db, shopId, shipmentId, status, null);
    await audit(db, shopId, "job:confirm-shipment", "shipment.channel_confirmed", { type: "order", id: order.id }, { shipment: shipment.externalId, channel: channel.kind, attempt });
    return status;
  } catch (error) {
    const refused = (error instanceof AppError && error.type !== "unexpected_state") || (error instanceof SpApiError && error.status >= 400 && error.status < 500 && error.status !== 429);
    const message = (error as Error).message;
    if (refused || opts.lastAttempt) {
      await setShipmentChannelStatus(db, shopId, shipmentId, "failed", message);
      await audit(db, shopId, "job:confirm-shipment", "shipment.channel_failed", { type: "order", id: order.id }, { shipment: shipment.externalId, channel: channel.kind, attempt, error: message.slice(0, 500) });
    } else {
      await setShipmentChannelStatus(db, shopId, shipmentId, "pending", message);
    }
    if (refused) throw new TerminalJobError(message);
    throw error;
  }
}
