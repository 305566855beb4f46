import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { BlockStack, Button, Card, DataTable, InlineStack, Link, Page, Pagination, Text, TextField, Tooltip } from "@shopify/polaris";
import { useState } from "react";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { readInventoryPage } from "~/.server/use-cases/read-channel-stock";
import { MAX_SKU_LENGTH } from "~/domain/shared/limits";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const params = new URL(request.url).searchParams;
  const query = (params.get("q") ?? "").trim().slice(0, MAX_SKU_LENGTH) || undefined;
  const page = Math.max(1, Math.min(100_000, Number.parseInt(params.get("page") ?? "1", 10) || 1));
  return { query: query ?? "", page, ...(await readInventoryPage(shop.id, { query, page })) };
}

type Push = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["rows"][number]["ats"][string]["push"]>;

const seconds = (ms: number) => (ms < 1_000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1_000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`);

/** What the channel was last sent and how long it took, or what waits (and why it failed). */
function PushState({ push }: { push: Push }) {
  if (push.error) {
    return (
      <Tooltip content={push.error}>
        <Text as="span" variant="bodySm" tone="critical">
          not sent: retrying
        </Text>
      </Tooltip>
    );
  }
  if (push.waitingSince) {
    return (
      <Text as="span" variant="bodySm" tone="subdued">
        sending…
      </Text>
    );
  }
  if (push.at === null) return null;
  return (
    <Text as="span" variant="bodySm" tone="subdued">
      sent {push.quantity} at {new Date(push.at).toLocaleTimeString("en-US")}
      {push.lagMs !== null ? ` · lag ${seconds(push.lagMs)}` : ""}
    </Text>
  );
}

export default function Inventory() {
  const { locations, channels, rows, query, page, hasNext } = useLoaderData<typeof loader>();
  const [search, setSearch] = useState(query);
  const [, setParams] = useSearchParams();
  const go = (to: number) => setParams((p) => (p.set("page", String(to)), p));
  return (
    <Page title="Inventory" subtitle="Per location: available = on hand − reserved − safety. Per channel: available to sell, after its buffer">
      <BlockStack gap="300">
        <Form method="get">
          <InlineStack gap="200" blockAlign="end">
            <TextField label="Search SKU or title" name="q" value={search} onChange={setSearch} autoComplete="off" />
            <Button submit>Search</Button>
          </InlineStack>
        </Form>
        <Card padding="0">
          {rows.length === 0 ? (
            <div style={{ padding: 16 }}>
              <Text as="p">{query ? `No SKU matches “${query}”.` : "No SKUs yet: they arrive with the first catalogue sync from Shopify."}</Text>
            </div>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", ...locations.map(() => "text" as const), ...channels.map(() => "numeric" as const)]}
              headings={["SKU", "Item", ...locations.map((l) => `${l.name} (avail / on hand / reserved)`), ...channels.map((c) => `${c.name}: to sell`)]}
              rows={rows.map((r) => [
                <Link key={r.sku} url={`/app/inventory/${encodeURIComponent(r.sku)}`}>
                  {r.sku}
                </Link>,
                r.title,
                ...locations.map((l) => {
                  const lvl = r.byLocation[l.id];
                  return lvl ? `${lvl.available} / ${lvl.onHand} / ${lvl.reserved}${lvl.incoming ? ` (+${lvl.incoming} incoming)` : ""}` : "—";
                }),
                ...channels.map((c) => {
                  const figure = r.ats[c.id];
                  return figure ? (
                    <BlockStack key={c.id} gap="050" inlineAlign="end">
                      <Tooltip content={figure.explanation}>
                        <Text as="span">{figure.ats}</Text>
                      </Tooltip>
                      {figure.push ? <PushState push={figure.push} /> : null}
                    </BlockStack>
                  ) : (
                    "—"
                  );
                }),
              ])}
            />
          )}
        </Card>
        <InlineStack align="center">
          <Pagination hasPrevious={page > 1} onPrevious={() => go(page - 1)} hasNext={hasNext} onNext={() => go(page + 1)} label={`Page ${page}`} />
        </InlineStack>
      </BlockStack>
    </Page>
  );
}
