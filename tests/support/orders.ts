// A small Shopify-shaped order payload written by this project for its own tests.

let counter = 0;

export function shopifyOrderBody(overrides: { id?: string; email?: string; customerId?: string; updatedAt?: string; cancelledAt?: string | null; lines?: { sku: string; quantity: number }[] } = {}): string {
  counter += 1;
  const id = overrides.id ?? `9${String(Date.now()).slice(-9)}${String(counter).padStart(8, "0")}`;
  const customerId = overrides.customerId ?? "7220000000000000001";
  const lines = overrides.lines ?? [{ sku: "TEST-SKU-1", quantity: 2 }];
  // Ids are written as bare 64-bit JSON numbers, as Shopify sends them.
  return `{"id":${id},"admin_graphql_api_id":"gid://shopify/Order/${id}","name":"#${1000 + counter}","email":"${overrides.email ?? "ana@example.com"}","phone":"+15555550100","currency":"USD","total_price":"42.50","financial_status":"paid","created_at":"2026-11-20T10:00:00Z","updated_at":"${overrides.updatedAt ?? "2026-11-20T10:00:00Z"}","cancelled_at":${overrides.cancelledAt ? `"${overrides.cancelledAt}"` : "null"},"customer":{"id":${customerId},"admin_graphql_api_id":"gid://shopify/Customer/${customerId}","first_name":"Ana","last_name":"Lopez"},"shipping_address":{"name":"Ana Lopez","address1":"1 Main St","city":"Austin","province_code":"TX","country_code":"US","zip":"78701","latitude":30.27,"longitude":-97.74},"line_items":[${lines
    .map((l, i) => `{"id":${id}${i},"admin_graphql_api_id":"gid://shopify/LineItem/${id}${i}","variant_id":null,"sku":"${l.sku}","title":"Item ${l.sku}","quantity":${l.quantity},"price":"21.25"}`)
    .join(",")}]}`;
}
