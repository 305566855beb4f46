import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, DataTable, InlineStack, Link, Page, Pagination, Text } from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { parseLedgerCursor, readSkuPage, type LedgerRowView } from "~/.server/use-cases/read-sku-page";
import { StockHistoryChart } from "~/components/stock-history-chart";
import { MAX_SKU_LENGTH } from "~/domain/shared/limits";

// One SKU (/app/inventory/<sku>): its figures per location and per channel, its stock over the last days,
// and its ledger (every stock movement, newest first, a page at a time). A SKU of no other shop is ever read.

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const sku = params.sku ?? "";
  const notFound = () => new Response(`No SKU “${sku.slice(0, MAX_SKU_LENGTH)}” in this shop`, { status: 404 });
  if (sku.length === 0 || sku.length > MAX_SKU_LENGTH) throw notFound();
  const search = new URL(request.url).searchParams;
  try {
    return await readSkuPage(shop.id, sku, { before: parseLedgerCursor(search.get("before")), after: parseLedgerCursor(search.get("after")) });
  } catch (error) {
    if (error instanceof AppError && error.type === "not_found") throw notFound();
    throw error;
  }
}

const BUCKETS: Record<string, string> = { on_hand: "On hand", reserved: "Reserved", incoming: "Incoming", safety: "Safety" };
const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : "0");
const when = (at: string) => new Date(at).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });

function Reference({ refer }: { refer: LedgerRowView["ref"] }) {
  if (!refer) return <Text as="span" tone="subdued">—</Text>;
  if (refer.type === "order") return <Link url={`/app/orders/${encodeURIComponent(refer.id)}`}>{`order ${refer.id}`}</Link>;
  return <Text as="span">{`${refer.type} ${refer.id}`}</Text>;
}

export default function SkuPage() {
  const { stock, ledger, history } = useLoaderData<typeof loader>();
  const base = `/app/inventory/${encodeURIComponent(stock.sku)}`;
  const panels = [
    { title: "All locations: on hand / available", days: history.total },
    ...history.locations.map((l) => ({ title: `${l.name}: on hand / available`, days: l.days })),
  ];
  return (
    <Page backAction={{ content: "Inventory", url: "/app/inventory" }} title={stock.sku} subtitle={stock.title}>
      <BlockStack gap="400">
        <Card padding="0">
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
            headings={["Location", "On hand", "Reserved", "Safety", "Incoming", "Available"]}
            rows={stock.locations.map((l) => [l.name, l.onHand, l.reserved, l.safety, l.incoming, l.available])}
          />
        </Card>
        <Card padding="0">
          <DataTable
            columnContentTypes={["text", "numeric", "text"]}
            headings={["Channel", "Available to sell", "How"]}
            rows={stock.channels.map((c) => [c.name, c.ats, c.explanation])}
          />
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {`Stock over the last ${history.days} days`}
            </Text>
            <Text as="p" tone="subdued">
              {`Rebuilt from the ledger, back from today's figures. Available = on hand − reserved − safety (safety as it is today).${history.truncated ? ` Only the latest movements were read: the chart starts ${when(history.from)} UTC.` : ""}`}
            </Text>
            <StockHistoryChart panels={panels} />
          </BlockStack>
        </Card>
        <Card padding="0">
          <div style={{ padding: 16 }}>
            <Text as="h2" variant="headingMd">
              Ledger
            </Text>
          </div>
          {ledger.rows.length === 0 ? (
            <div style={{ padding: 16 }}>
              <Text as="p">No stock movements recorded for this SKU.</Text>
            </div>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text", "text", "text"]}
              headings={["When (UTC)", "Location", "Change", "Reason", "Document"]}
              rows={ledger.rows.map((r) => [when(r.at), r.location, `${BUCKETS[r.bucket] ?? r.bucket} ${signed(r.delta)}`, r.reason, <Reference key={r.id} refer={r.ref} />])}
            />
          )}
          <div style={{ padding: 16 }}>
            <InlineStack align="center">
              <Pagination
                hasPrevious={ledger.newer !== null}
                previousURL={ledger.newer ? `${base}?after=${encodeURIComponent(ledger.newer)}` : undefined}
                previousTooltip="Newer"
                hasNext={ledger.older !== null}
                nextURL={ledger.older ? `${base}?before=${encodeURIComponent(ledger.older)}` : undefined}
                nextTooltip="Older"
                label="Newer · Older"
              />
            </InlineStack>
          </div>
        </Card>
      </BlockStack>
    </Page>
  );
}
