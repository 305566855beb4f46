import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Page, Select, Text, TextField } from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { useState } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { approveCount, declineCount, openCountsByHand, readCountQueue, recountCount, scheduleCycleCounts, type ReviewedCountView } from "~/.server/use-cases/cycle-counts";
import { labourPeriod, readLabour } from "~/.server/use-cases/labour-report";
import { listWarehouseLocations } from "~/.server/use-cases/manage-warehouse";
import { LabourChart, type LabourChartPanel } from "~/components/labour-charts";
import type { LabourRow } from "~/domain/warehouse/labour";

// The Warehouse dashboard (issue 13, items 7 and 8; ADR 0034): labour per worker and per day (picks/hour, lines/hour,
// mean pack time, receiving throughput; hours are active time), as charts and a table, and the cycle counts: those
// awaiting approval with their variances (approve, recount, decline), the open tasks, the last decisions.

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const params = new URL(request.url).searchParams;
  const managed = (await listWarehouseLocations(shop.id)).filter((l) => l.managed);
  const location = managed.find((l) => l.id === params.get("location")) ?? managed[0] ?? null;
  if (!location) return { managed, location: null, labour: null, counts: null, panels: [], periodError: null };
  let period;
  let periodError: string | null = null;
  try {
    period = labourPeriod(params.get("from"), params.get("to"));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    periodError = error.message;
    period = labourPeriod(null, null);
  }
  const labour = await readLabour(shop.id, location.id, period);
  return { managed, location, labour, counts: await readCountQueue(shop.id, location.id), panels: chartPanels(labour.rows, period.from, period.to), periodError };
}

const DAY_MS = 86_400_000;

/** Per figure a bar chart: a series per worker, a bar per day of the period. */
function chartPanels(rows: LabourRow[], from: string, to: string): LabourChartPanel[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00.000Z`); t <= Date.parse(`${to}T00:00:00.000Z`); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  const workers = [...new Set(rows.map((r) => r.worker))].sort();
  const label = (day: string) => day.slice(5);
  const panel = (title: string, pick: (r: LabourRow) => number | null): LabourChartPanel => ({
    title,
    series: workers.map((w) => ({ name: w, data: days.map((d) => { const r = rows.find((x) => x.worker === w && x.day === d); return { key: label(d), value: r ? pick(r) : null }; }) })),
  });
  return [
    panel("Picks per hour (units)", (r) => round(r.picksPerHour)),
    panel("Lines per hour (pick lines)", (r) => round(r.linesPerHour)),
    panel("Receiving (units per hour)", (r) => round(r.receivedUnitsPerHour)),
    panel("Mean pack time (minutes)", (r) => (r.meanPackMs === null ? null : round(r.meanPackMs / 60_000))),
    panel("Scans (all work)", (r) => Object.values(r.byKind).reduce((n, k) => n + k.events, 0)),
    panel("Units received", (r) => r.receivedUnits),
  ];
}

const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

type ActionResult = { ok: true; message: string } | { ok: false; error: string };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await requireAdminShop(request);
  const form = await readForm(request);
  const field = (name: string) => String(form.get(name) ?? "").trim();
  const location = field("location");
  const id = field("id");
  const by = field("by") || "admin";
  try {
    switch (field("intent")) {
      case "approve": {
        const r = await approveCount(shop.id, location, id, by);
        return { ok: true, message: r.applied ? `Count of ${r.count.bin} approved: ${r.count.summary.linesOff ? `${r.count.summary.over} units over and ${r.count.summary.short} short posted to the bin and on hand` : "no variance, nothing moved"}.` : `Count of ${r.count.bin} was approved already.` };
      }
      case "decline": {
        const r = await declineCount(shop.id, location, id, by);
        return { ok: true, message: `Count of ${r.count.bin} declined; stock unchanged.` };
      }
      case "recount": {
        const r = await recountCount(shop.id, location, id, by);
        return { ok: true, message: `Recount of ${r.recount.bin} opened; stock unchanged.` };
      }
      case "open": {
        const r = await openCountsByHand(shop.id, location, { bin: field("bin") || undefined, sku: field("sku") || undefined, sourceKey: `manual:admin:${Date.now()}:${Math.random().toString(36).slice(2)}`, worker: field("worker") || null });
        return { ok: true, message: r.created > 0 ? `${r.created} count(s) opened.` : "Those bins have an open count already." };
      }
      case "schedule": {
        const [r] = (await scheduleCycleCounts(shop.id)).filter((x) => x.locationId === location);
        return { ok: true, message: r ? `Today's schedule: ${r.due} bin(s) due under a cap of ${r.cap} a day; ${r.opened} count(s) opened.` : "No managed location." };
      }
      default:
        return { ok: false, error: "Unknown action." };
    }
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message };
    throw error;
  }
}

const hours = (h: number) => `${Math.floor(h)}h${String(Math.round((h % 1) * 60)).padStart(2, "0")}`;
const fig = (v: number | null, digits = 1) => (v === null ? "—" : v.toFixed(digits));

export default function WarehouseDashboard() {
  const { managed, location, labour, counts, panels, periodError } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params, setParams] = useSearchParams();
  if (!location || !labour || !counts) {
    return (
      <Page title="Warehouse dashboard" backAction={{ content: "Warehouse", url: "/app/warehouse" }}>
        <Card><Text as="p">No location is managed by the warehouse module yet. <Link to="/app/warehouse">Set one up</Link>.</Text></Card>
      </Page>
    );
  }
  const go = (next: Record<string, string>) => setParams(new URLSearchParams({ ...Object.fromEntries(params), ...next }));
  return (
    <Page title="Warehouse dashboard" subtitle={`${location.name}: labour and cycle counts`} backAction={{ content: "Warehouse", url: `/app/warehouse?location=${location.id}` }}>
      <BlockStack gap="400">
        {result ? <Banner tone={result.ok ? "success" : "critical"}><Text as="p">{result.ok ? result.message : result.error}</Text></Banner> : null}
        {periodError ? <Banner tone="warning"><Text as="p">{periodError}; showing the last 7 days.</Text></Banner> : null}
        <InlineStack gap="300" blockAlign="center">
          {managed.length > 1 ? <Select label="Location" labelInline options={managed.map((l) => ({ label: l.name, value: l.id }))} value={location.id} onChange={(v) => go({ location: v })} /> : null}
          <PeriodPicker from={labour.from} to={labour.to} onChange={(from, to) => go({ location: location.id, from, to })} />
          <Link to={`/app/warehouse/count?location=${location.id}`}>Count (handheld)</Link>
        </InlineStack>
        <CountsCard location={location.id} counts={counts} />
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">Labour, {labour.from} to {labour.to}</Text>
            <Text as="p" tone="subdued">
              Every receiving scan, putaway, pick, pack, shipment and count is an event with its worker and time ({labour.events} in this period). Hours are active time: the gaps between a
              worker's consecutive scans of a day, each capped at 10 minutes, credited to the work the scan completes.
            </Text>
            <LabourChart panels={panels} />
            <DataTable
              columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
              headings={["Day", "Worker", "Active", "Picks", "Picks/h", "Lines/h", "Pack (min)", "Received", "Received/h", "Putaways · counts"]}
              rows={[
                ...labour.rows.map((r) => [r.day, r.worker, hours(r.activeHours), r.picks, fig(r.picksPerHour), fig(r.linesPerHour), fig(r.meanPackMs === null ? null : r.meanPackMs / 60_000), r.receivedUnits, fig(r.receivedUnitsPerHour), `${r.putaways} · ${r.counts}`]),
                ...labour.workers.map((w) => ["All days", w.worker, hours(w.activeHours), w.picks, fig(w.picksPerHour), fig(w.linesPerHour), fig(w.meanPackMs === null ? null : w.meanPackMs / 60_000), w.receivedUnits, fig(w.receivedUnitsPerHour), `${w.putaways} · ${w.counts}`]),
              ]}
              totals={["", "", hours(labour.total.activeHours), labour.total.picks, fig(labour.total.picksPerHour), fig(labour.total.linesPerHour), fig(labour.total.meanPackMs === null ? null : labour.total.meanPackMs / 60_000), labour.total.receivedUnits, fig(labour.total.receivedUnitsPerHour), `${labour.total.putaways} · ${labour.total.counts}`]}
              showTotalsInFooter
            />
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}

function PeriodPicker({ from, to, onChange }: { from: string; to: string; onChange: (from: string, to: string) => void }) {
  const [f, setF] = useState(from);
  const [t, setT] = useState(to);
  return (
    <InlineStack gap="200" blockAlign="end">
      <TextField label="From" type="date" value={f} onChange={setF} autoComplete="off" />
      <TextField label="To" type="date" value={t} onChange={setT} autoComplete="off" />
      <Button onClick={() => onChange(f, t)}>Show</Button>
    </InlineStack>
  );
}

type Queue = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["counts"]>;

function Decide({ location, id, intent, label, tone }: { location: string; id: string; intent: string; label: string; tone?: "critical" }) {
  const nav = useNavigation();
  const busy = nav.state === "submitting" && nav.formData?.get("id") === id && nav.formData?.get("intent") === intent;
  return (
    <Form method="post" style={{ display: "inline" }}>
      <input type="hidden" name="location" value={location} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="intent" value={intent} />
      <Button submit size="slim" variant={intent === "approve" ? "primary" : undefined} tone={tone} loading={busy}>{label}</Button>
    </Form>
  );
}

const variance = (c: ReviewedCountView | Queue["awaiting"][number]) => c.lines.filter((l) => l.variance !== 0).map((l) => `${l.sku}${l.lot ? ` · ${l.lot}` : ""}: ${l.counted} counted, ${l.expected} expected (${l.variance > 0 ? "+" : ""}${l.variance})`).join("; ") || "agrees";

function CountsCard({ location, counts }: { location: string; counts: Queue }) {
  const [bin, setBin] = useState("");
  const [sku, setSku] = useState("");
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">Cycle counts</Text>
          <Form method="post">
            <input type="hidden" name="location" value={location} />
            <input type="hidden" name="intent" value="schedule" />
            <Button submit>Open today's scheduled counts</Button>
          </Form>
        </InlineStack>
        <Text as="p" tone="subdued">
          Counts are blind: the handheld never shows what a bin should hold. A submitted count waits here; approving posts the variance (counted − expected at submission) to the bin
          and the location's on hand with reason “counted”; recount or decline leaves stock as it is. A/B/C bins are scheduled every 30/90/180 days under a daily cap; short picks and
          emptied bins open counts too.
        </Text>
        <Text as="h3" variant="headingSm">Awaiting approval ({counts.awaiting.length})</Text>
        {counts.awaiting.length === 0 ? <Text as="p" tone="subdued">Nothing to approve.</Text> : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={["Bin", "Why", "Counted by", "Variance", ""]}
            rows={counts.awaiting.map((c) => [
              c.bin,
              c.reason.replace("_", " "),
              `${c.countedBy ?? "—"} · ${c.countedAt?.slice(0, 16).replace("T", " ") ?? ""}`,
              c.summary.linesOff === 0 ? <Badge tone="success">agrees</Badge> : variance(c),
              <InlineStack key={c.id} gap="100" wrap={false}>
                <Decide location={location} id={c.id} intent="approve" label="Approve" />
                <Decide location={location} id={c.id} intent="recount" label="Recount" />
                <Decide location={location} id={c.id} intent="decline" label="Decline" tone="critical" />
              </InlineStack>,
            ])}
          />
        )}
        <Text as="h3" variant="headingSm">Open tasks ({counts.open.length})</Text>
        {counts.open.length === 0 ? <Text as="p" tone="subdued">No bin waits to be counted.</Text> : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text"]}
            headings={["Bin", "Why", "SKU to check", "Opened", ""]}
            rows={counts.open.slice(0, 100).map((c) => [c.bin, c.reason.replace("_", " "), c.focusSku ?? "—", c.createdAt.slice(0, 16).replace("T", " "), <Decide key={c.id} location={location} id={c.id} intent="decline" label="Cancel" tone="critical" />])}
          />
        )}
        <Form method="post">
          <input type="hidden" name="location" value={location} />
          <input type="hidden" name="intent" value="open" />
          <InlineStack gap="200" blockAlign="end">
            <TextField label="Count a bin" name="bin" value={bin} onChange={setBin} placeholder="A01-02-1-L" autoComplete="off" />
            <TextField label="or every bin holding SKU" name="sku" value={sku} onChange={setSku} autoComplete="off" />
            <Button submit>Open count</Button>
          </InlineStack>
        </Form>
        {counts.decided.length > 0 ? (
          <>
            <Text as="h3" variant="headingSm">Last decided</Text>
            <DataTable
              columnContentTypes={["text", "text", "text", "text"]}
              headings={["Bin", "Decision", "By", "Variance"]}
              rows={counts.decided.slice(0, 20).map((c) => [c.bin, c.status, `${c.decidedBy ?? "—"} · ${c.decidedAt?.slice(0, 16).replace("T", " ") ?? ""}`, variance(c)])}
            />
          </>
        ) : null}
      </BlockStack>
    </Card>
  );
}
