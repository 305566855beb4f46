import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useRevalidator, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, DataTable, InlineStack, Page, Pagination, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { z } from "zod";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { readImport } from "~/.server/use-cases/read-imports";
import { downloadCsv, ImportStatusBadge, summaryText } from "~/components/import-results";

// One import's results: its status and progress, what became of its orders, and each line's result (the refused
// ones alone on request), paged by line number; CSV download; run the kept file again.

const query = z.object({ after: z.coerce.number().int().min(0).optional().catch(undefined), failed: z.string().optional() });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const q = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const failedOnly = q.failed === "1";
  try {
    return { failedOnly, view: await readImport(shop.id, String(params.id ?? "").slice(0, 64), { after: q.after, limit: 200, failedOnly }) };
  } catch (error) {
    if (error instanceof AppError && error.type === "not_found") throw new Response("Import not found", { status: 404 });
    throw error;
  }
}

export default function ImportResults() {
  const { view, failedOnly } = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const revalidator = useRevalidator();
  const running = view.status === "queued" || view.status === "running";
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1_000);
    return () => clearInterval(timer);
  }, [running, revalidator]);
  const set = (changes: Record<string, string | null>) =>
    setParams((p) => {
      for (const [k, v] of Object.entries(changes)) if (v === null) p.delete(k);
      else p.set(k, v);
      return p;
    });

  return (
    <Page title={view.filename ?? `Import ${view.id}`} subtitle={`${view.format} · ${view.source} · ${view.mode}`} backAction={{ content: "Imports", url: "/app/imports" }}>
      <BlockStack gap="400">
        {view.error && <Banner tone={view.status === "failed" ? "critical" : "warning"}>{view.error}</Banner>}
        <Card>
          <BlockStack gap="200">
            <InlineStack gap="300" blockAlign="center">
              <ImportStatusBadge status={view.status} failedLines={view.failedLines} />
              <Text as="span">{view.progress.processedLines.toLocaleString("en-US")} of {view.progress.totalLines.toLocaleString("en-US")} {view.format === "x12" ? "segments" : "lines"} · {view.okLines.toLocaleString("en-US")} ok · {view.failedLines.toLocaleString("en-US")} refused</Text>
            </InlineStack>
            {running && <ProgressBar progress={view.progress.percent} />}
            <Text as="p">Orders: {summaryText(view.summary)}</Text>
            {view.summary?.notes.length ? <Text as="p" tone="subdued">{view.summary.notes.join(" · ")}</Text> : null}
            <InlineStack gap="200">
              <Button onClick={() => downloadCsv(view.id)}>Download every line (CSV)</Button>
              {view.failedLines > 0 && <Button onClick={() => downloadCsv(view.id, true)}>Download refused lines (CSV)</Button>}
              {!running && view.documentHash && (
                <Form method="post" action="/app/imports">
                  <input type="hidden" name="intent" value="reimport" />
                  <input type="hidden" name="importId" value={view.id} />
                  {view.mode === "all-or-nothing" && view.failedLines > 0 && <input type="hidden" name="mode" value="line-by-line" />}
                  <Button submit>{view.mode === "all-or-nothing" && view.failedLines > 0 ? "Import the good lines" : "Re-import"}</Button>
                </Form>
              )}
            </InlineStack>
          </BlockStack>
        </Card>
        {view.acknowledgement && (
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">Answer to the sender (X12 997)</Text>
              <Text as="p" tone="subdued">Kept with the trading partner&apos;s EDI documents. Importing the same interchange again answers this same 997, with the same control numbers.</Text>
              <Box background="bg-surface-secondary" padding="200" borderRadius="200">
                <pre style={{ margin: 0, whiteSpace: "pre-wrap", wordBreak: "break-all", fontSize: 12 }}>{view.acknowledgement}</pre>
              </Box>
            </BlockStack>
          </Card>
        )}
        <Card padding="0">
          <Box padding="300">
            <Checkbox label="Refused lines only" checked={failedOnly} onChange={(on) => set({ failed: on ? "1" : null, after: null })} />
          </Box>
          {view.lines.length === 0 ? (
            <Box padding="300">
              <Text as="p">{running ? "Lines appear here as they are read." : failedOnly ? "No line was refused." : "No lines."}</Text>
            </Box>
          ) : (
            <DataTable
              columnContentTypes={["numeric", "text", "text", "text"]}
              headings={[view.format === "x12" ? "Segment" : "Line", "", "Result", "Order"]}
              rows={view.lines.map((l) => [
                l.line,
                l.ok ? <Badge key="ok" tone="success">ok</Badge> : <Badge key="no" tone="critical">refused</Badge>,
                <Text key="m" as="span" breakWord>{l.message ?? ""}</Text>,
                l.orderId ? <Link key="o" to={`/app/orders/${l.orderId}`}>{l.orderExternalId}</Link> : (l.orderExternalId ?? ""),
              ])}
            />
          )}
        </Card>
        <Pagination hasPrevious={params.has("after")} onPrevious={() => set({ after: null })} hasNext={view.nextAfter !== null} onNext={() => set({ after: String(view.nextAfter) })} />
      </BlockStack>
    </Page>
  );
}
