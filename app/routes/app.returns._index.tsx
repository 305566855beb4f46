import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, IndexTable, InlineStack, Link, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { getReturnPolicy } from "~/.server/use-cases/manage-return-policy";
import { returnQueue } from "~/.server/use-cases/return-queue";
import { ReturnStatusBadge } from "~/components/return-status-badge";
import { RETURN_STATUSES } from "~/domain/returns/status";

// Admin Returns queue (issue 14, ADR 0035): every RMA, newest first, filtered by status, reason, the days it was
// created and an RMA number or order name; each opens its page (app.returns.$rma). "Create return" starts one.

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const params = new URL(request.url).searchParams;
  const get = (name: string) => params.get(name) ?? "";
  const [{ returns, error }, policy] = await Promise.all([returnQueue(shop.id, { status: get("status"), reason: get("reason"), from: get("from"), to: get("to"), q: get("q") }), getReturnPolicy(shop.id)]);
  return {
    error,
    reasons: policy.reasons,
    returns: returns.map((r) => ({
      number: r.number,
      orderName: r.orderName,
      status: r.status,
      source: r.source,
      units: r.lines.reduce((s, l) => s + l.quantity, 0),
      reasons: [...new Set(r.lines.map((l) => l.reason))].join(", "),
      location: r.receivingLocation?.name ?? "—",
      tracking: r.label?.trackingNumber ?? null,
      createdAt: r.createdAt,
    })),
  };
}

export default function Returns() {
  const { returns, error, reasons } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get("q") ?? "");
  const [from, setFrom] = useState(params.get("from") ?? "");
  const [to, setTo] = useState(params.get("to") ?? "");
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };

  return (
    <Page title="Returns" subtitle="RMAs from the portal, customer accounts and the admin" primaryAction={{ content: "Create return", url: "/app/returns/new" }}>
      <BlockStack gap="400">
        {error ? (
          <Banner tone="critical" title="Filters not applied">
            <p>{error}</p>
          </Banner>
        ) : null}
        <Card padding="0">
          <div style={{ padding: "12px" }}>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                const next = new URLSearchParams(params);
                for (const [key, value] of [["q", search], ["from", from], ["to", to]] as const) {
                  if (value.trim()) next.set(key, value.trim());
                  else next.delete(key);
                }
                setParams(next);
              }}
            >
              <InlineStack gap="300" blockAlign="end">
                <Select
                  label="Status"
                  name="status"
                  value={params.get("status") ?? ""}
                  onChange={(v) => setFilter("status", v)}
                  options={[{ label: "All", value: "" }, { label: "Expected (approved or in transit)", value: "expected" }, ...RETURN_STATUSES.map((s) => ({ label: s.replace("_", " "), value: s }))]}
                />
                <Select label="Reason" name="reason" value={params.get("reason") ?? ""} onChange={(v) => setFilter("reason", v)} options={[{ label: "Any", value: "" }, ...reasons.map((r) => ({ label: r.replace(/_/g, " "), value: r }))]} />
                <TextField label="From" name="from" type="date" value={from} onChange={setFrom} autoComplete="off" />
                <TextField label="To" name="to" type="date" value={to} onChange={setTo} autoComplete="off" />
                <TextField label="RMA or order" name="q" value={search} onChange={setSearch} autoComplete="off" placeholder="R1001 or #1001" />
                <Button submit>Filter</Button>
              </InlineStack>
            </form>
          </div>
          <IndexTable
            resourceName={{ singular: "return", plural: "returns" }}
            itemCount={returns.length}
            selectable={false}
            emptyState={<div style={{ padding: 16 }}><Text as="p" tone="subdued">No returns match.</Text></div>}
            headings={[{ title: "RMA" }, { title: "Order" }, { title: "Status" }, { title: "Units", alignment: "end" }, { title: "Reasons" }, { title: "Receiving at" }, { title: "Tracking" }, { title: "Source" }, { title: "Created" }]}
          >
            {returns.map((r, index) => (
              <IndexTable.Row id={r.number} key={r.number} position={index}>
                <IndexTable.Cell>
                  <Link url={`/app/returns/${r.number}`} dataPrimaryLink monochrome removeUnderline>
                    <Text as="span" fontWeight="semibold">
                      {r.number}
                    </Text>
                  </Link>
                </IndexTable.Cell>
                <IndexTable.Cell>{r.orderName}</IndexTable.Cell>
                <IndexTable.Cell>
                  <ReturnStatusBadge status={r.status} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {r.units}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{r.reasons.replace(/_/g, " ")}</IndexTable.Cell>
                <IndexTable.Cell>{r.location}</IndexTable.Cell>
                <IndexTable.Cell>{r.tracking ?? "—"}</IndexTable.Cell>
                <IndexTable.Cell>{r.source.replace("_", " ")}</IndexTable.Cell>
                <IndexTable.Cell>{new Date(r.createdAt).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })}</IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
      </BlockStack>
    </Page>
  );
}
