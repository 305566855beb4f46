import type { Queryable } from "./engine/types";
import type { PortalOrderRow } from "./portal-sql";

// What the customer-account extension may read (ADR 0028). Every statement takes the shop.

/**
 * The shop's Shopify order with this id (the legacy number of its GID, as intake stores it) placed by this
 * customer (the legacy number of their GID), unless the customer was forgotten. Undefined for anything else:
 * another customer's order, another channel's, another shop's — the caller cannot tell which.
 */
export async function shopifyOrderOfCustomer(q: Queryable, shopId: string, orderExternalId: string, customerExternalId: string): Promise<PortalOrderRow | undefined> {
  return q.get<PortalOrderRow>(
    `SELECT o."id", o."name", o."email", o."status", o."placedAt", o."promisedBy", o."cancelledAt", o."redactedAt", o."shipCity"
     FROM "Order" o JOIN "Channel" c ON c."id" = o."channelId" AND c."shopId" = o."shopId"
     WHERE o."shopId" = ? AND c."kind" = 'shopify' AND o."externalId" = ? AND o."customerExternalId" = ? AND o."redactedAt" IS NULL`,
    shopId, orderExternalId, customerExternalId,
  );
}
