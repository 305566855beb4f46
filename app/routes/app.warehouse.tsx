import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, FormLayout, InlineStack, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { readPutaways } from "~/.server/use-cases/confirm-putaway";
import { importBinsCsv, listWarehouseLocations, readWarehouse, storeLayout } from "~/.server/use-cases/manage-warehouse";

// Warehouse (issue 13, ADR 0029): choose a location, switch it to managed by generating its layout (or store the
// geometry and import bins from CSV), and see every bin with what it holds, and on hand against the bins per SKU.
// The handheld screens (receiving, putaway, pick, pack) are linked from here.

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const locations = await listWarehouseLocations(shop.id);
  const asked = new URL(request.url).searchParams.get("location");
  const selected = locations.find((l) => l.id === asked) ?? locations.find((l) => l.managed) ?? locations[0] ?? null;
  if (!selected || !selected.managed) return { locations, selected, warehouse: null, openPutaways: 0 };
  return { locations, selected, warehouse: await readWarehouse(shop.id, selected.id), openPutaways: (await readPutaways(shop.id, selected.id)).open.length };
}

type ActionResult = { ok: true; message: string } | { ok: false; error: string; rows?: { line: number; message: string }[] };

const num = (form: FormData, name: string) => Number(String(form.get(name) ?? "").trim() || NaN);
const optional = (form: FormData, name: string) => (String(form.get(name) ?? "").trim() === "" ? undefined : num(form, name));

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await requireAdminShop(request);
  const form = await readForm(request);
  const location = String(form.get("location") ?? "");
  try {
    if (form.get("intent") === "generate") {
      const after = String(form.get("crossAisleAfterBays") ?? "").split(",").map((s) => s.trim()).filter(Boolean).map(Number);
      const result = await storeLayout(shop.id, location, {
        generate: { aisles: num(form, "aisles"), baysPerAisle: num(form, "baysPerAisle"), levels: num(form, "levels"), bayWidthM: num(form, "bayWidthM"), aisleSpacingM: num(form, "aisleSpacingM"), capacityPerBin: num(form, "capacityPerBin"), crossAisleWidthM: optional(form, "crossAisleWidthM"), crossAisleAfterBays: after },
      });
      return { ok: true, message: `${result.bins} bins stored${result.binsRemoved ? `, ${result.binsRemoved} removed` : ""}.${result.managed ? ` The location is managed now: ${result.unitsToReceiving} units on hand moved into its receiving bin.` : ""}` };
    }
    if (form.get("intent") === "importCsv") {
      const result = await importBinsCsv(shop.id, location, String(form.get("csv") ?? ""));
      if (result.errors.length > 0) return { ok: false, error: `${result.errors.length} bad row(s): nothing was imported.`, rows: result.errors };
      return { ok: true, message: `${result.imported} bins imported.` };
    }
    return { ok: false, error: "Unknown action." };
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error: error.message };
    throw error;
  }
}

export default function Warehouse() {
  const { locations, selected, warehouse, openPutaways } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [, setParams] = useSearchParams();
  return (
    <Page title="Warehouse" subtitle="Layouts and bins per location; a managed location's on hand is the sum of its bins">
      <BlockStack gap="400">
        {result ? (
          <Banner tone={result.ok ? "success" : "critical"}>
            <BlockStack gap="100">
              <Text as="p">{result.ok ? result.message : result.error}</Text>
              {!result.ok && result.rows ? result.rows.map((r) => <Text as="p" key={r.line} variant="bodySm">{r.message}</Text>) : null}
            </BlockStack>
          </Banner>
        ) : null}
        {locations.length === 0 ? (
          <Card><Text as="p">No locations yet: they arrive with the shop's sync.</Text></Card>
        ) : (
          <InlineStack gap="300" blockAlign="center">
            <Select label="Location" labelInline options={locations.map((l) => ({ label: `${l.name}${l.managed ? " (managed)" : ""}`, value: l.id }))} value={selected?.id ?? ""} onChange={(v) => setParams(new URLSearchParams({ location: v }))} />
            {warehouse ? (
              <>
                <Link to={`/app/warehouse/receive?location=${selected!.id}`}>Receiving (handheld)</Link>
                <Link to={`/app/warehouse/putaway?location=${selected!.id}`}>Putaway (handheld){openPutaways ? ` · ${openPutaways} open` : ""}</Link>
                <Link to={`/app/warehouse/count?location=${selected!.id}`}>Count (handheld)</Link>
                <Link to={`/app/warehouse/dashboard?location=${selected!.id}`}>Dashboard: labour and counts</Link>
                <Link to={`/app/warehouse/pick?location=${selected!.id}`}>Pick (handheld)</Link>
                <Link to={`/app/warehouse/pack?location=${selected!.id}`}>Pack (handheld)</Link>
              </>
            ) : null}
          </InlineStack>
        )}
        {selected ? <LayoutCard location={selected.id} generator={(warehouse?.generator ?? null) as Record<string, unknown> | null} managed={Boolean(warehouse)} /> : null}
        {warehouse && selected ? <CsvCard location={selected.id} /> : null}
        {warehouse ? <BinsCard warehouse={warehouse} /> : null}
      </BlockStack>
    </Page>
  );
}

type View = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["warehouse"]>;

function LayoutCard({ location, generator, managed }: { location: string; generator: Record<string, unknown> | null; managed: boolean }) {
  const initial = (k: string, d: string) => (generator && generator[k] !== undefined ? String(Array.isArray(generator[k]) ? (generator[k] as number[]).join(",") : generator[k]) : d);
  const fields = [
    ["aisles", "Aisles", "6"], ["baysPerAisle", "Bays per aisle", "10"], ["levels", "Levels", "3"], ["capacityPerBin", "Units per bin", "50"],
    ["bayWidthM", "Bay width (m)", "1.2"], ["aisleSpacingM", "Aisle spacing, centre to centre (m)", "3"], ["crossAisleWidthM", "Cross aisle width (m)", "2"], ["crossAisleAfterBays", "Middle cross aisles after bays (e.g. 5)", ""],
  ] as const;
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(fields.map(([k, , d]) => [k, initial(k, d)])));
  const busy = useNavigation().state === "submitting";
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="generate" />
        <input type="hidden" name="location" value={location} />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">{managed ? "Layout" : "Manage this location with the warehouse module"}</Text>
          <Text as="p" tone="subdued">
            {managed
              ? "Generate again to change it: bins no longer in the layout are removed (refused while one holds stock)."
              : "Generating a layout switches the location to managed: its on hand moves into a receiving bin at the depot (front of aisle 1), and from then on every unit is in a bin."}
          </Text>
          <FormLayout>
            <FormLayout.Group condensed>
              {fields.slice(0, 4).map(([k, label]) => <TextField key={k} label={label} name={k} value={values[k]} onChange={(v) => setValues({ ...values, [k]: v })} autoComplete="off" />)}
            </FormLayout.Group>
            <FormLayout.Group condensed>
              {fields.slice(4).map(([k, label]) => <TextField key={k} label={label} name={k} value={values[k]} onChange={(v) => setValues({ ...values, [k]: v })} autoComplete="off" />)}
            </FormLayout.Group>
          </FormLayout>
          <InlineStack><Button submit variant="primary" loading={busy}>{managed ? "Generate layout again" : "Generate layout and manage"}</Button></InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

function CsvCard({ location }: { location: string }) {
  const [csv, setCsv] = useState("bin,zone,yM,capacity\n");
  const busy = useNavigation().state === "submitting";
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="importCsv" />
        <input type="hidden" name="location" value={location} />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">Import bins (CSV)</Text>
          <Text as="p" tone="subdued">Columns bin (A03-12-2-L: aisle, bay, level, side), zone, yM (metres from the front cross aisle), capacity (units). Bins are added or updated; one bad row and nothing is imported.</Text>
          <TextField label="CSV" labelHidden name="csv" value={csv} onChange={setCsv} multiline={6} autoComplete="off" monospaced />
          <InlineStack><Button submit loading={busy}>Import bins</Button></InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

function BinsCard({ warehouse }: { warehouse: View }) {
  const off = warehouse.totals.filter((t) => !t.agrees);
  const [filter, setFilter] = useState("stocked");
  const shown = warehouse.bins.filter((b) => filter === "all" || b.used > 0).slice(0, 500);
  const { layout } = warehouse;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">Bins</Text>
        <Text as="p" tone="subdued">
          {layout.aisles} aisles of {layout.aisleLengthM} m, {layout.aisleSpacingM} m apart{layout.crossAislesAtM?.length ? `, middle cross aisles at ${layout.crossAislesAtM.join(", ")} m` : ""}; {warehouse.bins.length - 1} bins.
        </Text>
        {off.length === 0 ? (
          <Badge tone="success">On hand equals the sum of the bins for every SKU</Badge>
        ) : (
          <Banner tone="warning">
            <Text as="p">On hand and bins differ (a change made outside the warehouse module, e.g. a shipment or an adjustment in Shopify): {off.map((t) => `${t.sku} on hand ${t.onHand}, bins ${t.inBins}`).join("; ")}</Text>
          </Banner>
        )}
        <InlineStack><Select label="Show" labelInline options={[{ label: "Bins holding stock", value: "stocked" }, { label: "All bins (first 500)", value: "all" }]} value={filter} onChange={setFilter} /></InlineStack>
        <DataTable
          columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "text"]}
          headings={["Bin", "Zone", "Position (aisle, m)", "Capacity", "Units", "Stock (SKU · lot · expiry)"]}
          rows={shown.map((b) => [
            b.code,
            b.zone,
            `${b.aisle + 1}, ${b.yM}`,
            b.capacity ?? "—",
            b.used,
            b.stock.map((s) => `${s.sku}${s.lot ? ` · ${s.lot}` : ""}${s.expiresAt ? ` · ${s.expiresAt.slice(0, 10)}` : ""}: ${s.quantity}`).join("; ") || "—",
          ])}
        />
      </BlockStack>
    </Card>
  );
}
