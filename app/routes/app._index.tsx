import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { BlockStack, Card, DataTable, InlineGrid, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { getDashboard } from "~/.server/use-cases/get-dashboard";
import { ChannelBadge, StatusBadge } from "~/components/channel-badge";
import { formatMinorUnits } from "~/domain/shared/money";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  return getDashboard(shop);
}

function Metric({ label, value, hint }: { label: string; value: string | number; hint?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {value}
        </Text>
        {hint ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {hint}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

type SyncRow = ReturnType<typeof useLoaderData<typeof loader>>["channelSync"][number];

/** Milliseconds as people read a lag: "850 ms", "4.2 s", "12 min". */
function duration(ms: number | null): string {
  if (ms === null) return "—";
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/** Channel sync health: how fast figures reach each channel, what waits or fails and why, drift repaired. */
function SyncHealthCard({ rows }: { rows: SyncRow[] }) {
  const errors = rows.flatMap((r) => r.errors.map((e) => ({ channel: r.name, ...e })));
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Channel sync health
        </Text>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "text"]}
          headings={["Channel", "Lag p50 / p95 (24 h)", "Figures sent (24 h)", "Waiting (oldest)", "Failing", "Drift repaired (24 h)", "Last read back"]}
          rows={rows.map((r) => [
            <InlineStack key={r.channelId} gap="200" blockAlign="center">
              <ChannelBadge kind={r.kind} />
              <Text as="span">{r.connected ? r.name : `${r.name} (not connected)`}</Text>
            </InlineStack>,
            `${duration(r.lagP50Ms)} / ${duration(r.lagP95Ms)}`,
            r.pushes24h,
            r.waiting === 0 ? "0" : `${r.waiting} (${duration(r.oldestWaitingMs)})`,
            r.failing,
            r.driftRepaired24h,
            r.lastCheckedAt ? new Date(r.lastCheckedAt).toLocaleString("en-US") : "not yet",
          ])}
        />
        {errors.length > 0 ? (
          <BlockStack gap="100">
            {errors.map((e) => (
              <Text key={`${e.channel}:${e.sku}`} as="p" variant="bodySm" tone="critical">
                {e.channel} · {e.sku}: {e.error}
              </Text>
            ))}
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}

type ReturnsFigures = ReturnType<typeof useLoaderData<typeof loader>>["returns"];
const percent = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)} %`);

/** Return reasons and return rates per product: returned units / shipped units over orders of the last 90 days. */
function ReturnsCard({ r }: { r: ReturnsFigures }) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between">
          <Text as="h2" variant="headingMd">
            Returns (orders of the last {r.days} days)
          </Text>
          <Text as="span" tone="subdued">
            {r.returned} of {r.shipped} units shipped returned · {percent(r.rate)}
          </Text>
        </InlineStack>
        {r.products.length === 0 ? (
          <Text as="p" tone="subdued">
            No returns on these orders.
          </Text>
        ) : (
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric"]}
              headings={["Product", "Shipped", "Returned", "Return rate"]}
              rows={r.products.map((p) => [p.title, p.shipped, p.returned, percent(p.rate)])}
            />
            <DataTable columnContentTypes={["text", "numeric", "numeric"]} headings={["Reason", "Units", "Share"]} rows={r.reasons.map((x) => [x.reason.replace(/_/g, " "), x.units, percent(x.share)])} />
          </InlineGrid>
        )}
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const d = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 5_000);
    return () => clearInterval(timer);
  }, [revalidator]);

  return (
    <Page title="Dashboard" subtitle={d.shopName}>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            <Metric label="Orders today" value={d.ordersTodayTotal} hint={d.ordersToday.map((c) => `${c.channel} ${c.count}`).join(" · ")} />
            <Metric label="Backordered orders" value={d.backorderedOrders} />
            <Metric label="Webhook inbox lag" value={`${d.inboxLagSeconds} s`} hint={d.failedWebhooks ? `${d.failedWebhooks} failed` : "none failed"} />
            <Metric label="Units available" value={d.unitsAvailable.toLocaleString("en-US")} hint={`${d.skus} SKUs · ${d.locations} locations`} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Orders today by channel
              </Text>
              <DataTable
                columnContentTypes={["text", "numeric"]}
                headings={["Channel", "Orders"]}
                rows={d.ordersToday.map((c) => [<ChannelBadge key={c.channel} kind={c.channel} />, c.count])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
        {d.channelSync.length > 0 ? (
          <Layout.Section>
            <SyncHealthCard rows={d.channelSync} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <ReturnsCard r={d.returns} />
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Latest orders
              </Text>
              {d.recentOrders.length === 0 ? (
                <Text as="p" tone="subdued">
                  No orders yet. They appear here as soon as a channel sends one.
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "numeric", "numeric"]}
                  headings={["Order", "Channel", "Status", "Lines", "Total"]}
                  rows={d.recentOrders.map((o) => [o.name, <ChannelBadge key={o.id} kind={o.channel} />, <StatusBadge key={`${o.id}s`} status={o.status} />, o.lineCount, formatMinorUnits(o.totalMinor, o.currency)])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
