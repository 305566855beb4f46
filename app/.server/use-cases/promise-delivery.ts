import type { ChannelOrder } from "~/domain/orders/channel-order";
import { defaultPromisePolicy, promisedDelivery, type DeliveryPromise, type PromisePolicy } from "~/domain/routing-policy/delivery-promise";
import { promisePolicySchema } from "~/domain/routing-policy/policy";
import { activePromisePolicy } from "../db/promise-sql";
import type { Sql } from "../db/sql";

// The delivery date a new order is promised (ingest-channel-order.ts stores it with the order): the
// channel's own promise when it states one, else the shop's active service levels for the shipping method
// the customer chose. The parsed policy is cached by its stored text, so intake validates it only when
// the merchant activates a new one.

const parsed = new Map<string, PromisePolicy>();

function policyOf(stored: string | undefined): PromisePolicy {
  if (!stored || stored === "{}") return defaultPromisePolicy();
  let policy = parsed.get(stored);
  if (!policy) {
    let json: unknown;
    try {
      json = JSON.parse(stored);
    } catch {
      json = null;
    }
    const result = promisePolicySchema.safeParse(json);
    policy = result.success ? result.data : defaultPromisePolicy(); // an invalid stored policy falls back, like routing does
    if (parsed.size > 1_000) parsed.clear();
    parsed.set(stored, policy);
  }
  return policy;
}

export function promiseDelivery(db: Sql, shopId: string, order: ChannelOrder): DeliveryPromise {
  return promisedDelivery(
    { placedAt: order.placedAt, channelPromisedBy: order.promisedBy, shippingMethod: order.shippingMethod, shipsToAddress: order.shipTo !== null },
    policyOf(activePromisePolicy(db, shopId)?.promise),
  );
}
