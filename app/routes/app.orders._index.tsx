import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { Card, IndexTable, InlineStack, Link, Page, Select, Text } from "@shopify/polaris";
import { z } from "zod";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { listLocations } from "~/.server/db/catalog";
import { database } from "~/.server/db/database";
import { listOrders, type OrderFilter } from "~/.server/db/orders";
import { ChannelBadge, StatusBadge } from "~/components/channel-badge";
import { formatMinorUnits } from "~/domain/shared/money";

const query = z.object({
  channel: z.enum(["shopify", "amazon", "wholesale", "manual"]).optional().catch(undefined),
  status: z.string().max(40).optional(),
  cursor: z.string().max(40).optional(),
  location: z.string().max(40).optional(),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const params = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const filter: OrderFilter = { channelKind: params.channel, status: params.status || undefined, locationId: params.location || undefined, cursor: params.cursor, take: 25 };
  const q = database();
  const [{ orders, nextCursor }, locations] = await Promise.all([listOrders(q, shop.id, filter), listLocations(q, shop.id)]);
  return {
    nextCursor,
    locations: locations.map((l) => ({ label: l.name, value: l.id })),
    orders: orders.map((o) => ({
      id: o.id,
      name: o.name,
      channel: o.channel.kind,
      status: o.status,
      placedAt: o.placedAt,
      customer: o.customerName ?? "—",
      destination: [o.shipCity, o.shipProvince, o.shipCountryCode].filter(Boolean).join(", ") || "—",
      units: o.lines.reduce((sum, l) => sum + l.quantity, 0),
      total: formatMinorUnits(o.totalMinor, o.currency),
    })),
  };
}

export default function Orders() {
  const { orders, nextCursor, locations } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    next.delete("cursor");
    setParams(next);
  };

  return (
    <Page title="Orders" subtitle="Every channel, stored once" primaryAction={{ content: "Create order", url: "/app/orders/new" }}>
      <Card padding="0">
        <div style={{ padding: "12px" }}>
          <InlineStack gap="300">
            <Select
              label="Channel"
              labelInline
              value={params.get("channel") ?? ""}
              onChange={(v) => setFilter("channel", v)}
              options={[{ label: "All", value: "" }, ...["shopify", "amazon", "wholesale", "manual"].map((c) => ({ label: c, value: c }))]}
            />
            <Select
              label="Status"
              labelInline
              value={params.get("status") ?? ""}
              onChange={(v) => setFilter("status", v)}
              options={[{ label: "All", value: "" }, ...["received", "reserved", "routed", "backordered", "partially_shipped", "shipped", "returned", "cancelled"].map((s) => ({ label: s, value: s }))]}
            />
            <Select label="Ships from" labelInline value={params.get("location") ?? ""} onChange={(v) => setFilter("location", v)} options={[{ label: "Any location", value: "" }, ...locations]} />
          </InlineStack>
        </div>
        <IndexTable
          resourceName={{ singular: "order", plural: "orders" }}
          itemCount={orders.length}
          selectable={false}
          headings={[{ title: "Order" }, { title: "Channel" }, { title: "Status" }, { title: "Placed" }, { title: "Customer" }, { title: "Ship to" }, { title: "Units", alignment: "end" }, { title: "Total", alignment: "end" }]}
          pagination={{
            hasNext: Boolean(nextCursor),
            onNext: () => {
              const next = new URLSearchParams(params);
              next.set("cursor", nextCursor!);
              navigate(`?${next.toString()}`);
            },
            hasPrevious: params.has("cursor"),
            onPrevious: () => navigate(-1),
          }}
        >
          {orders.map((o, index) => (
            <IndexTable.Row id={o.id} key={o.id} position={index}>
              <IndexTable.Cell>
                <Link url={`/app/orders/${o.id}`} dataPrimaryLink monochrome removeUnderline>
                  <Text as="span" fontWeight="semibold">
                    {o.name}
                  </Text>
                </Link>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <ChannelBadge kind={o.channel} />
              </IndexTable.Cell>
              <IndexTable.Cell>
                <StatusBadge status={o.status} />
              </IndexTable.Cell>
              <IndexTable.Cell>{new Date(o.placedAt).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })}</IndexTable.Cell>
              <IndexTable.Cell>{o.customer}</IndexTable.Cell>
              <IndexTable.Cell>{o.destination}</IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {o.units}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {o.total}
                </Text>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </Card>
    </Page>
  );
}
