import type { ChannelOrder } from "~/domain/orders/channel-order";
import { promisedDelivery, type DeliveryPromise, type PromisePolicy } from "~/domain/routing-policy/delivery-promise";

// The delivery date a new order is promised (ingest-channel-order.ts stores it with the order): the
// channel's own promise when it states one, else the shop's active service levels for the shipping method
// the customer chose (the policy as shop-config.ts caches it).

export function promiseDelivery(policy: PromisePolicy, order: ChannelOrder): DeliveryPromise {
  return promisedDelivery({ placedAt: order.placedAt, channelPromisedBy: order.promisedBy, shippingMethod: order.shippingMethod, shipsToAddress: order.shipTo !== null }, policy);
}
