import { db } from "./client";

// GDPR / compliance storage operations. Orders stay (accounting needs them); the person is removed.

const PII_CLEARED = {
  email: null,
  phone: null,
  customerName: null,
  shipAddress1: null,
  shipCity: null,
  shipZip: null,
  shipLatitude: null,
  shipLongitude: null,
} as const;

export interface CustomerRef {
  customerExternalId: string | null;
  email: string | null;
  orderExternalIds: string[];
}

function customerOrdersWhere(shopId: string, ref: CustomerRef) {
  const or = [
    ...(ref.customerExternalId ? [{ customerExternalId: ref.customerExternalId }] : []),
    ...(ref.email ? [{ email: ref.email }] : []),
    ...(ref.orderExternalIds.length ? [{ externalId: { in: ref.orderExternalIds } }] : []),
  ];
  return { shopId, OR: or.length ? or : [{ id: "__none__" }] };
}

/** Anonymise every order of the customer; returns how many orders were touched. */
export async function redactCustomerOrders(shopId: string, ref: CustomerRef, now = new Date()): Promise<number> {
  const { count } = await db().order.updateMany({
    where: customerOrdersWhere(shopId, ref),
    data: { ...PII_CLEARED, customerExternalId: null, redactedAt: now },
  });
  return count;
}

/** What we hold about a customer, for customers/data_request (order references and which fields). */
export async function customerDataSummary(shopId: string, ref: CustomerRef) {
  const orders = await db().order.findMany({
    where: customerOrdersWhere(shopId, ref),
    select: { externalId: true, name: true, placedAt: true, email: true, phone: true, customerName: true, shipAddress1: true, shipCity: true, shipZip: true, shipCountryCode: true },
    orderBy: { placedAt: "asc" },
  });
  return orders.map((o) => ({
    externalId: o.externalId,
    name: o.name,
    placedAt: o.placedAt.toISOString(),
    fieldsHeld: Object.entries(o).filter(([k, v]) => v !== null && !["externalId", "name", "placedAt"].includes(k)).map(([k]) => k),
  }));
}

/** shop/redact: everything the shop ever sent us goes. */
export async function deleteAllShopData(domain: string): Promise<{ shopDeleted: boolean }> {
  const client = db();
  await client.session.deleteMany({ where: { shop: domain } });
  await client.webhookInbox.deleteMany({ where: { shopDomain: domain, topic: { not: "shop/redact" } } });
  const { count } = await client.shop.deleteMany({ where: { domain } }); // cascades to every owned row
  return { shopDeleted: count > 0 };
}

export async function deleteSessions(domain: string): Promise<number> {
  const { count } = await db().session.deleteMany({ where: { shop: domain } });
  return count;
}
