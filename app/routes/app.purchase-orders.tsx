import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Card, DataTable, InlineStack, Page, Pagination, Select, Text } from "@shopify/polaris";
import { z } from "zod";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { listPurchaseOrders } from "~/.server/use-cases/read-purchase-orders";
import { PURCHASE_ORDER_STATUSES, type PurchaseOrderStatus } from "~/domain/inventory/purchase-orders";

// Purchase orders, read-only (created, opened, cancelled and received through /api/v1): what each still brings
// to its location, and when.
const query = z.object({
  status: z.enum(PURCHASE_ORDER_STATUSES).optional().catch(undefined),
  cursor: z.string().max(64).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const params = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { status: params.status ?? "", ...(await listPurchaseOrders(shop.id, { status: params.status, cursor: params.cursor, limit: 50 })) };
}

const TONE: Record<PurchaseOrderStatus, "info" | "attention" | "success" | undefined> = { draft: undefined, open: "attention", received: "success", cancelled: undefined };

export default function PurchaseOrders() {
  const { purchaseOrders, nextCursor, status } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const filter = (value: string) => setParams(() => (value ? new URLSearchParams({ status: value }) : new URLSearchParams()));
  return (
    <Page title="Purchase orders" subtitle="Open orders' units still to come are their location's incoming; channels selling pre-orders sell them, promising the earliest date">
      <BlockStack gap="300">
        <InlineStack>
          <Select label="Status" labelInline options={[{ label: "All", value: "" }, ...PURCHASE_ORDER_STATUSES.map((s) => ({ label: s, value: s }))]} value={status} onChange={filter} />
        </InlineStack>
        <Card padding="0">
          {purchaseOrders.length === 0 ? (
            <div style={{ padding: 16 }}>
              <Text as="p">No purchase orders{status ? ` ${status}` : ""} yet: create them with POST /api/v1/purchase-orders.</Text>
            </div>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text", "text", "text", "numeric", "numeric", "numeric"]}
              headings={["Number", "Supplier", "Location", "Status", "Expected", "Ordered", "Received", "Still to come"]}
              rows={purchaseOrders.map((po) => [
                po.number,
                po.supplier,
                po.location.name,
                <Badge key={po.number} tone={TONE[po.status]}>{po.status}</Badge>,
                po.expectedAt.slice(0, 10),
                po.lines.reduce((s, l) => s + l.ordered, 0),
                po.lines.reduce((s, l) => s + l.received, 0),
                po.status === "open" ? po.lines.reduce((s, l) => s + l.outstanding, 0) : "—",
              ])}
            />
          )}
        </Card>
        <Pagination
          hasPrevious={params.has("cursor")}
          onPrevious={() => filter(status)}
          hasNext={nextCursor !== null}
          onNext={() => setParams((p) => (p.set("cursor", nextCursor ?? ""), p))}
        />
      </BlockStack>
    </Page>
  );
}
