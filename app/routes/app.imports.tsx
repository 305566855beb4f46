import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator, useSearchParams, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, FormLayout, InlineStack, Page, Pagination, ProgressBar, Select, Text } from "@shopify/polaris";
import { useEffect, useRef, useState } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { createImport, MAX_IMPORT_BYTES, reimport, resumeImport } from "~/.server/use-cases/create-import";
import { requestAmazonOrderReport } from "~/.server/use-cases/fetch-amazon-order-report";
import { previewImport, type ImportPreview } from "~/.server/use-cases/preview-import";
import { importsPage } from "~/.server/use-cases/read-imports";
import { downloadCsv, downloadFile, ImportStatusBadge, MODE_OPTIONS, summaryText } from "~/components/import-results";

// Imports (ADR 0016, 0018, 0021): upload a file (Amazon order report, a trading partner's CSV purchase orders or X12
// 850s, whose partner is found from each interchange's sender) — or preview it first: every line checked against the catalog and the partner's items, nothing stored —,
// fetch an Amazon order report through the Reports API, follow each import's progress, read its results, download
// them as CSV, and run a kept file again (line by line after an all-or-nothing import stopped on bad lines, say).

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const cursor = new URL(request.url).searchParams.get("cursor") ?? undefined;
  return { ...(await importsPage(shop.id, { cursor: cursor?.slice(0, 64) })), loadedAt: Date.now() };
}

type ActionResult = { ok: true; message: string; importId: string } | { ok: true; message: string; preview: ImportPreview } | { ok: false; error: string };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await requireAdminShop(request);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_IMPORT_BYTES + 64 * 1024) return { ok: false, error: `The file is larger than the limit of ${MAX_IMPORT_BYTES / 1024 / 1024} MB.` };
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  try {
    if (intent === "reimport") {
      const created = await reimport(shop.id, String(form.get("importId") ?? ""), String(form.get("mode") ?? "") || null);
      return { ok: true, importId: created.importId, message: created.existing ? "That import is still running." : "Imported again: the orders already taken in do not change." };
    }
    if (intent === "resume") {
      const importId = String(form.get("importId") ?? "");
      const resumed = await resumeImport(shop.id, importId);
      return { ok: true, importId, message: resumed ? "Queued again: it runs from the start, and what it already took in does not change." : "That import has finished." };
    }
    if (intent === "fetchAmazon") {
      const days = Math.min(Math.max(Number(form.get("days") ?? 1) || 1, 1), 30);
      const created = await requestAmazonOrderReport(shop.id, String(form.get("channelId") ?? "") || null, { since: new Date(Date.now() - days * 86_400_000), mode: String(form.get("mode") ?? "") || null });
      return { ok: true, importId: created.importId, message: "Amazon is preparing the report: it is imported as soon as it is ready (usually a few minutes)." };
    }
    const file = form.get("file");
    if (!file || typeof file === "string" || file.size === 0) return { ok: false, error: "Choose a file to import." };
    const input = {
      format: String(form.get("format") ?? ""),
      bytes: new Uint8Array(await file.arrayBuffer()),
      filename: file.name || null,
      channelId: String(form.get("channelId") ?? "") || null,
      partner: String(form.get("partner") ?? "") || null,
      mode: String(form.get("mode") ?? "") || null,
      source: "upload" as const,
    };
    if (intent === "preview") {
      const preview = await previewImport(shop.id, input);
      return { ok: true, preview, message: preview.error ?? `${file.name}: all ${preview.progress.totalLines} lines are good (${summaryText(preview.summary)}). Nothing was stored: import it to take it in.` };
    }
    const created = await createImport(shop.id, input);
    return { ok: true, importId: created.importId, message: created.existing ? "This file is already being imported." : `${file.name} is being imported.` };
  } catch (error) {
    if (error instanceof AppError && error.type !== "unexpected_state") return { ok: false, error: error.message };
    throw error;
  }
}

/** An import queued or running this long may have lost its job (the in-process queue does not survive a restart). */
const STUCK_MS = 5 * 60_000;

export default function Imports() {
  const { imports, nextCursor, formats, channels, partners, loadedAt } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const [params, setParams] = useSearchParams();
  const [format, setFormat] = useState(formats[0]?.id ?? "");
  const [mode, setMode] = useState<string>("all-or-nothing");
  const [days, setDays] = useState("1");
  const kind = formats.find((f) => f.id === format)?.channelKind;
  const targets = channels.filter((c) => c.kind === kind);
  const [channelId, setChannelId] = useState("");
  const chosen = formats.find((f) => f.id === format);
  const [partner, setPartner] = useState(partners.length === 1 ? partners[0].id : "");
  const [senderPartner, setSenderPartner] = useState("");
  const formRef = useRef<HTMLFormElement>(null);
  const submit = useSubmit();
  const send = (intent: string) => {
    const data = new FormData(formRef.current!);
    data.set("intent", intent);
    submit(data, { method: "post", encType: "multipart/form-data" });
  };
  const sending = (intent: string) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const preview = result && "preview" in result ? result.preview : null;
  const amazon = channels.filter((c) => c.kind === "amazon" && c.connected);
  const [amazonChannel, setAmazonChannel] = useState(amazon[0]?.id ?? "");
  const busy = imports.some((i) => i.status === "queued" || i.status === "running");

  // While anything is queued or running, read the list again every second: the progress bars move.
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1_000);
    return () => clearInterval(timer);
  }, [busy, revalidator]);

  return (
    <Page title="Imports" subtitle="Every file is kept; importing a file again never doubles an order">
      <BlockStack gap="400">
        {result && (result.ok ? <Banner tone={preview?.failedLines || preview?.error ? "warning" : "success"}>{result.message}</Banner> : <Banner tone="critical">{result.error}</Banner>)}
        <Card>
          <Form method="post" encType="multipart/form-data" ref={formRef} onSubmit={(e) => (e.preventDefault(), send("upload"))}>
            <FormLayout>
              <Text as="h2" variant="headingMd">Import a file</Text>
              <input type="file" name="file" accept={chosen?.accept} aria-label="File" />
              <FormLayout.Group>
                <Select label="Format" name="format" options={formats.map((f) => ({ label: f.label, value: f.id }))} value={format} onChange={setFormat} />
                <Select label="If a line is wrong" name="mode" options={MODE_OPTIONS} value={mode} onChange={setMode} />
                {chosen?.partner === "required" && partners.length > 0 && (
                  <Select label="Trading partner" name="partner" options={[...(partners.length > 1 ? [{ label: "Choose…", value: "" }] : []), ...partners.map((p) => ({ label: `${p.name} (${p.code})`, value: p.id }))]} value={partner} onChange={setPartner} />
                )}
                {chosen?.partner === "from-document" && partners.length > 0 && (
                  <Select label="Trading partner" name="partner" options={[{ label: "From the file (each interchange's sender)", value: "" }, ...partners.map((p) => ({ label: `Only ${p.name} (${p.code})`, value: p.id }))]} value={senderPartner} onChange={setSenderPartner} />
                )}
                {!chosen?.partner && targets.length > 1 && (
                  <Select label="Channel" name="channelId" options={[{ label: "Choose…", value: "" }, ...targets.map((c) => ({ label: c.name, value: c.id }))]} value={channelId} onChange={setChannelId} />
                )}
              </FormLayout.Group>
              {chosen?.partner && partners.length === 0 && <Text as="p" tone="critical">No wholesale trading partner yet: add one on the Channels page.</Text>}
              {!chosen?.partner && targets.length === 0 && <Text as="p" tone="critical">No {kind} channel to import into: add one on the Channels page.</Text>}
              <InlineStack gap="200">
                <Button onClick={() => send("preview")} loading={sending("preview")}>Preview</Button>
                <Button variant="primary" onClick={() => send("upload")} loading={sending("upload")}>Import</Button>
                {chosen?.template && (
                  <Button variant="plain" onClick={() => downloadFile(`/api/v1/imports/templates/${encodeURIComponent(chosen.id)}.csv${partner ? `?partner=${encodeURIComponent(partner)}` : ""}`, `${chosen.id}-template.csv`)}>Download the template</Button>
                )}
              </InlineStack>
            </FormLayout>
          </Form>
        </Card>
        {preview && (
          <Card padding="0">
            <div style={{ padding: 16 }}>
              <Text as="h2" variant="headingMd">Preview of {preview.filename ?? "the file"}{preview.partner ? ` for ${preview.partner.name}` : ""}: {preview.okLines} good, {preview.failedLines} refused — nothing stored</Text>
              {preview.linesTruncated && <Text as="p" tone="subdued">Every refused line is shown, and the good ones up to a page.</Text>}
            </div>
            <DataTable
              columnContentTypes={["numeric", "text", "text"]}
              headings={["Line", "", "Result"]}
              rows={preview.lines.map((l) => [l.line, l.ok ? <Badge key="ok" tone="success">ok</Badge> : <Badge key="no" tone="critical">refused</Badge>, <Text key="m" as="span" breakWord>{l.message ?? ""}</Text>])}
            />
          </Card>
        )}
        {amazon.length > 0 && (
          <Card>
            <Form method="post">
              <input type="hidden" name="intent" value="fetchAmazon" />
              <input type="hidden" name="mode" value={mode} />
              <FormLayout>
                <Text as="h2" variant="headingMd">Fetch Amazon's order report</Text>
                <Text as="p" tone="subdued">Asks Amazon (Reports API) for every order updated in the period and imports it: orders already here are not doubled.</Text>
                <FormLayout.Group>
                  {amazon.length > 1 && <Select label="Amazon channel" name="channelId" options={amazon.map((c) => ({ label: c.name, value: c.id }))} value={amazonChannel} onChange={setAmazonChannel} />}
                  {amazon.length === 1 && <input type="hidden" name="channelId" value={amazon[0].id} />}
                  <Select label="Orders updated in the last" name="days" options={["1", "3", "7", "14", "30"].map((d) => ({ label: `${d} day${d === "1" ? "" : "s"}`, value: d }))} value={days} onChange={setDays} />
                </FormLayout.Group>
                <Button submit loading={navigation.state === "submitting" && navigation.formData?.get("intent") === "fetchAmazon"}>Fetch and import</Button>
              </FormLayout>
            </Form>
          </Card>
        )}
        <Card padding="0">
          {imports.length === 0 ? (
            <div style={{ padding: 16 }}>
              <Text as="p">No imports yet: upload a file above, or POST one to /api/v1/imports.</Text>
            </div>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text", "text", "text", "text"]}
              headings={["Created", "File", "Status", "Lines", "Orders", ""]}
              rows={imports.map((i) => [
                new Date(i.createdAt).toISOString().slice(0, 16).replace("T", " "),
                <BlockStack key="file" gap="100">
                  <Text as="span">{i.filename ?? (i.source === "reports-api" ? "Amazon report (being fetched)" : "—")}</Text>
                  <Text as="span" tone="subdued" variant="bodySm">{i.format} · {i.source}{i.reimportOf ? " (again)" : ""} · {i.mode}</Text>
                </BlockStack>,
                <BlockStack key="status" gap="100">
                  <ImportStatusBadge status={i.status} failedLines={i.failedLines} />
                  {(i.status === "running" || i.status === "queued") && <ProgressBar progress={i.progress.percent} size="small" />}
                  {i.error && <Text as="span" tone="critical" variant="bodySm">{i.error.length > 160 ? `${i.error.slice(0, 160)}…` : i.error}</Text>}
                </BlockStack>,
                `${i.progress.processedLines.toLocaleString("en-US")} / ${i.progress.totalLines.toLocaleString("en-US")}${i.failedLines ? ` · ${i.failedLines} refused` : ""}`,
                summaryText(i.summary),
                <InlineStack key="actions" gap="200">
                  <Link to={`/app/imports/${i.id}`}>Results</Link>
                  <Button variant="plain" onClick={() => downloadCsv(i.id)}>CSV</Button>
                  {(i.status === "queued" || i.status === "running") && Date.parse(i.createdAt) < loadedAt - STUCK_MS && (
                    <Form method="post">
                      <input type="hidden" name="intent" value="resume" />
                      <input type="hidden" name="importId" value={i.id} />
                      <Button submit variant="plain">Resume</Button>
                    </Form>
                  )}
                  {(i.status === "done" || i.status === "failed") && i.documentHash && (
                    <Form method="post">
                      <input type="hidden" name="intent" value="reimport" />
                      <input type="hidden" name="importId" value={i.id} />
                      {i.status === "failed" && i.failedLines > 0 && i.mode === "all-or-nothing" ? (
                        <>
                          <input type="hidden" name="mode" value="line-by-line" />
                          <Button submit variant="plain">Import the good lines</Button>
                        </>
                      ) : (
                        <Button submit variant="plain">Re-import</Button>
                      )}
                    </Form>
                  )}
                </InlineStack>,
              ])}
            />
          )}
        </Card>
        <Pagination hasPrevious={params.has("cursor")} onPrevious={() => setParams(new URLSearchParams())} hasNext={nextCursor !== null} onNext={() => setParams((p) => (p.set("cursor", nextCursor ?? ""), p))} />
      </BlockStack>
    </Page>
  );
}
