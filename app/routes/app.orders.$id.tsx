import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, Collapsible, DataTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { getOrderDetail } from "~/.server/use-cases/get-order-detail";
import { ChannelBadge, StatusBadge } from "~/components/channel-badge";
import { OrderTimeline } from "~/components/order-timeline";
import { RoutingExplanation } from "~/components/routing-explanation";
import { formatMinorUnits } from "~/domain/shared/money";

// One order: its lines and where their units are, what happened to it, and why it was routed as it was.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const detail = await getOrderDetail(shop.id, params.id ?? "");
  if (!detail) throw new Response("Order not found", { status: 404 });
  return detail;
}

function allocationText(a: { location: string | null; quantity: number; status: string }) {
  if (a.status === "backordered" || a.location === null) return `${a.quantity} backordered`;
  return `${a.quantity} at ${a.location}${a.status === "reserved" ? "" : ` (${a.status})`}`;
}

export default function OrderPage() {
  const { order, lines, timeline, decisions } = useLoaderData<typeof loader>();
  const [showEarlier, setShowEarlier] = useState(false);
  const [latest, ...earlier] = decisions;
  const placed = new Date(order.placedAt).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  return (
    <Page
      fullWidth
      backAction={{ content: "Orders", url: "/app/orders" }}
      title={order.name}
      titleMetadata={
        <InlineStack gap="200">
          <ChannelBadge kind={order.channel} />
          <StatusBadge status={order.status} />
        </InlineStack>
      }
      subtitle={`${order.channelName} · placed ${placed} UTC · ${formatMinorUnits(order.totalMinor, order.currency)} · ship to ${order.destination}${order.promisedBy ? ` · promised by ${order.promisedBy}` : ""}`}
    >
      <BlockStack gap="400">
        <Layout>
          <Layout.Section>
            <Card padding="0">
              <DataTable
                columnContentTypes={["text", "text", "numeric", "text"]}
                headings={["SKU", "Item", "Qty", "Allocation"]}
                rows={lines.map((l) => [
                  l.sku ?? "—",
                  l.title,
                  l.quantity,
                  l.allocations.length === 0 ? (
                    <Text as="span" tone="subdued">
                      not allocated
                    </Text>
                  ) : (
                    <InlineStack gap="100">
                      {l.allocations.map((a, i) => (
                        <Badge key={i} tone={a.status === "backordered" ? "warning" : a.status === "fulfilled" ? "success" : "info"}>
                          {allocationText(a)}
                        </Badge>
                      ))}
                    </InlineStack>
                  ),
                ])}
              />
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <OrderTimeline entries={timeline} />
          </Layout.Section>
        </Layout>
        {latest ? (
          <RoutingExplanation decision={latest} currency={order.currency} current />
        ) : (
          <Card>
            <Text as="p" tone="subdued">
              This order has not been routed.
            </Text>
          </Card>
        )}
        {earlier.length > 0 ? (
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h3" variant="headingMd">
                  {`Earlier decisions (${earlier.length})`}
                </Text>
                <Button onClick={() => setShowEarlier((v) => !v)} disclosure={showEarlier ? "up" : "down"} ariaExpanded={showEarlier} ariaControls="earlier-decisions">
                  {showEarlier ? "Hide" : "Show"}
                </Button>
              </InlineStack>
              <Collapsible id="earlier-decisions" open={showEarlier}>
                <BlockStack gap="400">
                  {earlier.map((d) => (
                    <RoutingExplanation key={d.id} decision={d} currency={order.currency} current={false} />
                  ))}
                </BlockStack>
              </Collapsible>
            </BlockStack>
          </Card>
        ) : null}
      </BlockStack>
    </Page>
  );
}
