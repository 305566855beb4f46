import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, DataTable, FormLayout, InlineGrid, InlineStack, Layout, List, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { MAX_PICKS, type WarehouseLayout, validatePickInput } from "~/domain/warehouse/layout";
import { pickRoute } from "~/domain/warehouse/pick-route";
import { renderRouteMap } from "~/domain/warehouse/route-map";

// Route planner (ADR 0030): a merchant types a parallel-aisle layout and a pick list (or draws random picks) and
// sees the optimal route drawn on the map, with S-shape and largest gap beside it. Pure computation on what is
// typed here: nothing is stored. Aisles are numbered from 1 on this page (the API counts from 0).

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdminShop(request);
  return null;
}

type Result =
  | { ok: false; issues: string[] }
  | {
      ok: true;
      svg: string;
      lengths: { method: string; lengthM: number; exact: boolean }[];
      stops: { n: string; aisle: number; yM: number; picks: string }[];
    };

const number = (value: FormDataEntryValue | null) => (typeof value === "string" && value.trim() !== "" ? Number(value) : NaN);

/** "aisle, metres" per line (aisle from 1); the line numbers of the ones that do not read. */
function parsePicks(text: string): { picks: { aisle: number; yM: number }[]; issues: string[] } {
  const picks: { aisle: number; yM: number }[] = [];
  const issues: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    const parts = line.split(/[,;\s]+/).filter(Boolean);
    if (parts.length !== 2 || parts.some((p) => !Number.isFinite(Number(p)))) issues.push(`Pick line ${i + 1}: write "aisle, metres" (got "${line.trim().slice(0, 40)}")`);
    else picks.push({ aisle: Number(parts[0]) - 1, yM: Number(parts[1]) });
  });
  return { picks, issues };
}

export async function action({ request }: ActionFunctionArgs): Promise<Result> {
  await requireAdminShop(request);
  const form = await readForm(request);
  const crossText = String(form.get("crossAislesAtM") ?? "").trim();
  const layout: WarehouseLayout = {
    aisles: number(form.get("aisles")),
    aisleLengthM: number(form.get("aisleLengthM")),
    aisleSpacingM: number(form.get("aisleSpacingM")),
    crossAislesAtM: crossText === "" ? [] : crossText.split(/[,;\s]+/).filter(Boolean).map(Number),
    depot: { aisle: number(form.get("depotAisle")) - 1, yM: number(form.get("depotYM")) },
  };
  const binsPerSide = number(form.get("binsPerSide"));
  const { picks, issues } = parsePicks(String(form.get("picks") ?? ""));
  if (picks.length === 0 && issues.length === 0) issues.push("Add at least one pick (or draw random ones).");
  // Messages name aisles from 1, as the form does.
  const shown = validatePickInput(layout, picks).map((m) => m.replace(/\.aisle: must be an aisle from 0 to (\d+) \(got (-?\d+)\)/, (_, hi, got) => `.aisle: must be an aisle from 1 to ${Number(hi) + 1} (got ${Number(got) + 1})`));
  if (issues.length + shown.length > 0) return { ok: false, issues: [...issues, ...shown] };
  const optimal = pickRoute(layout, picks, "optimal");
  const sShape = pickRoute(layout, picks, "s_shape");
  const largestGap = pickRoute(layout, picks, "largest_gap");
  const svg = renderRouteMap({
    layout,
    route: optimal,
    binsPerSide: Number.isInteger(binsPerSide) ? binsPerSide : undefined,
    compare: [
      { label: "S-shape", lengthM: sShape.lengthM },
      { label: "Largest gap", lengthM: largestGap.lengthM },
    ],
    title: `Pick route through ${picks.length} picks`,
  });
  const stops: { n: string; aisle: number; yM: number; picks: string }[] = [];
  const atDepot = (s: { aisle: number; yM: number }) => s.aisle === layout.depot.aisle && s.yM === layout.depot.yM;
  for (const s of optimal.sequence) {
    const last = stops[stops.length - 1];
    if (last && last.aisle === s.aisle + 1 && last.yM === s.yM) last.picks += `, ${s.index + 1}`;
    // Picks at the depot are taken before leaving (no stop number, as on the map).
    else stops.push({ n: atDepot(s) ? "Depot" : String(stops.filter((x) => x.n !== "Depot").length + 1), aisle: s.aisle + 1, yM: s.yM, picks: String(s.index + 1) });
  }
  return {
    ok: true,
    svg,
    lengths: [
      { method: optimal.exact ? "Optimal (exact)" : "Best found (heuristic)", lengthM: optimal.lengthM, exact: optimal.exact },
      { method: "S-shape", lengthM: sShape.lengthM, exact: false },
      { method: "Largest gap", lengthM: largestGap.lengthM, exact: false },
    ],
    stops,
  };
}

const DEFAULTS = { aisles: "10", aisleLengthM: "47", aisleSpacingM: "5", crossAislesAtM: "", depotAisle: "1", depotYM: "0", binsPerSide: "45", randomCount: "20" };

export default function RoutePlanner() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [fields, setFields] = useState(DEFAULTS);
  const [picks, setPicks] = useState("3, 12.0\n7, 30.5\n2, 40.2\n9, 5.7\n5, 22.0");
  const set = (name: keyof typeof DEFAULTS) => (value: string) => setFields({ ...fields, [name]: value });

  // Random picks at bin centres (or every half metre when no bin count is given), drawn in the browser.
  const drawRandom = () => {
    const aisles = Math.max(1, Math.floor(Number(fields.aisles) || 1));
    const length = Number(fields.aisleLengthM) || 1;
    const bins = Math.floor(Number(fields.binsPerSide)) || Math.max(1, Math.floor(length * 2));
    const count = Math.min(MAX_PICKS, Math.max(1, Math.floor(Number(fields.randomCount) || 1)));
    const lines = Array.from({ length: count }, () => `${1 + Math.floor(Math.random() * aisles)}, ${(((Math.floor(Math.random() * bins) + 0.5) * length) / bins).toFixed(2)}`);
    setPicks(lines.join("\n"));
  };
  const best = result?.ok ? result.lengths[0].lengthM : 0;

  return (
    <Page title="Route planner" subtitle="The shortest walk through a pick list, drawn on the warehouse map">
      <Layout>
        <Layout.Section variant="oneThird">
          <Card>
            <Form method="post">
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">Layout</Text>
                <FormLayout>
                  <InlineGrid columns={2} gap="200">
                    <TextField label="Aisles" name="aisles" type="number" value={fields.aisles} onChange={set("aisles")} autoComplete="off" />
                    <TextField label="Aisle length (m)" name="aisleLengthM" type="number" value={fields.aisleLengthM} onChange={set("aisleLengthM")} autoComplete="off" />
                    <TextField label="Between aisles (m)" name="aisleSpacingM" type="number" value={fields.aisleSpacingM} onChange={set("aisleSpacingM")} autoComplete="off" />
                    <TextField label="Bins per side" name="binsPerSide" type="number" value={fields.binsPerSide} onChange={set("binsPerSide")} autoComplete="off" helpText="For the drawing" />
                    <TextField label="Depot aisle" name="depotAisle" type="number" value={fields.depotAisle} onChange={set("depotAisle")} autoComplete="off" />
                    <TextField label="Depot at (m)" name="depotYM" type="number" value={fields.depotYM} onChange={set("depotYM")} autoComplete="off" />
                  </InlineGrid>
                  <TextField label="Middle cross aisles at (m)" name="crossAislesAtM" value={fields.crossAislesAtM} onChange={set("crossAislesAtM")} autoComplete="off" helpText="Comma-separated, from the front; empty for one block" />
                  <TextField label="Picks" name="picks" value={picks} onChange={setPicks} multiline={8} autoComplete="off" helpText='One per line: "aisle, metres from the front cross aisle" (aisles from 1, left to right)' />
                  <InlineStack gap="200" blockAlign="end">
                    <Box width="7rem">
                      <TextField label="Random picks" labelHidden type="number" value={fields.randomCount} onChange={set("randomCount")} autoComplete="off" />
                    </Box>
                    <Button onClick={drawRandom}>Random picks</Button>
                  </InlineStack>
                  <Button submit variant="primary" loading={navigation.state === "submitting"}>Plan route</Button>
                </FormLayout>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <BlockStack gap="400">
            {result && !result.ok ? (
              <Banner tone="critical" title="Cannot plan this route">
                <List type="bullet">
                  {result.issues.map((issue) => (
                    <List.Item key={issue}>{issue}</List.Item>
                  ))}
                </List>
              </Banner>
            ) : null}
            {result?.ok ? (
              <>
                <Card>
                  <BlockStack gap="200">
                    <Text as="h2" variant="headingMd">Route</Text>
                    <DataTable
                      columnContentTypes={["text", "numeric", "numeric"]}
                      headings={["Method", "Length", "Extra over the route drawn"]}
                      rows={result.lengths.map((l) => [l.method, `${l.lengthM.toFixed(1)} m`, best > 0 ? `${(((l.lengthM - best) / best) * 100).toFixed(1)} %` : "—"])}
                    />
                    {/* The SVG is built by renderRouteMap, which escapes every text and formats every number itself. */}
                    <div style={{ overflowX: "auto" }} dangerouslySetInnerHTML={{ __html: result.svg }} />
                  </BlockStack>
                </Card>
                <Card>
                  <BlockStack gap="200">
                    <Text as="h2" variant="headingMd">Visiting order</Text>
                    <DataTable columnContentTypes={["text", "numeric", "numeric", "text"]} headings={["Stop", "Aisle", "At (m)", "Pick lines"]} rows={result.stops.map((s) => [s.n, s.aisle, s.yM, s.picks])} />
                  </BlockStack>
                </Card>
              </>
            ) : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
