import { canTransition } from "~/domain/orders/status-machine";
import type { IntakeChannel } from "../channels/intake-channel";
import { audit } from "../db/audit";
import { database } from "../db/database";
import { setOrderCancelledAt, unitsShipped } from "../db/edi-inbound-sql";
import { findOrder, setOrderStatus } from "../db/pipeline-sql";
import { AppError } from "../errors";
import { enqueueChannelStockSync } from "../jobs/queue";
import { fillBackorders, orderFacts, releaseOrder, type AllocationContext } from "./allocate-order";
import { enqueueReallocations } from "./dispatch-reallocations";
import { unpickCancelledOrder } from "./unpick-cancelled-order";

// A trading partner cancels its purchase order (an X12 850 with BEG01 01, ADR 0021): the order it made on the
// partner's channel is cancelled as a channel's cancel is (ingest-channel-order.ts): what it holds is released to
// the oldest backorders, in one transaction with the order's row locked, and the status machine decides first —
// an order with units shipped is not cancelled (a return is the way). Cancelling a cancelled order changes nothing.

export async function cancelPartnerOrder(channel: IntakeChannel, poNumber: string, opts: { actor: string; now?: Date }): Promise<{ outcome: "cancelled" | "unchanged"; orderId: string }> {
  const { shopId, channelId } = channel;
  const now = opts.now ?? new Date();
  const result = await database().transaction(async (tx) => {
    const order = await findOrder(tx, shopId, channelId, poNumber);
    if (!order) throw new AppError("not_found", "PO.NOT_FOUND", `no order ${poNumber} on this partner's channel: nothing to cancel`);
    if (order.status === "cancelled") return { outcome: "unchanged" as const, orderId: order.id, reallocated: [] };
    const ctx: AllocationContext = { tx, shopId, now, actor: opts.actor, configVersion: channel.configVersion };
    const facts = { ...(await orderFacts(ctx, order.id)), unitsShipped: await unitsShipped(tx, shopId, order.id) };
    const verdict = canTransition(order.status, "cancelled", facts);
    if (!verdict.ok) throw new AppError("conflict", "PO.NOT_CANCELLABLE", `order ${poNumber} is ${order.status.replace(/_/g, " ")}: it cannot be cancelled (${verdict.reason})`);
    const freed = await releaseOrder(ctx, order.id, "cancelled");
    await unpickCancelledOrder(ctx, order.id); // picking / packed at a warehouse: lines closed, staged units to put away
    await setOrderStatus(tx, shopId, order.id, "cancelled");
    await setOrderCancelledAt(tx, shopId, order.id, now);
    await audit(tx, shopId, opts.actor, "order.cancelled", { type: "order", id: order.id }, { by: "purchase order cancellation (850 BEG01 01)" });
    return { outcome: "cancelled" as const, orderId: order.id, reallocated: await fillBackorders(ctx, freed) };
  });
  await enqueueReallocations(shopId, result.reallocated);
  if (result.outcome === "cancelled") await enqueueChannelStockSync({ shopId });
  return { outcome: result.outcome, orderId: result.orderId };
}
