import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { SimulationComparison, SimulationSummary } from "~/domain/routing-policy/simulate";
import { formatMinorUnits } from "~/domain/shared/money";

// The current policy and the draft, side by side, over the same replayed orders.

export type SimulationView = SimulationComparison;

const pct = (v: number | null) => (v === null ? "—" : `${v.toFixed(1)}%`);
const signed = (n: number, format: (v: number) => string) => (n === 0 ? "—" : `${n > 0 ? "+" : "−"}${format(Math.abs(n))}`);

export function SimulationResults({ result, currency }: { result: SimulationView; currency: string }) {
  const { current: c, draft: d } = result;
  const money = (minor: number) => formatMinorUnits(minor, currency);
  const count = (n: number) => String(Math.round(n * 100) / 100);
  const onTime = (s: SimulationSummary) => (s.onTime.ordersWithPromise === 0 ? "no promise set" : `${pct(s.onTime.percent)} (${s.onTime.ordersOnTime} of ${s.onTime.ordersWithPromise})`);
  const splitShare = (s: SimulationSummary) => `${s.ordersSplit} (${pct(s.orders ? (s.ordersSplit / s.orders) * 100 : null)})`;
  const rows: [string, string, string, string][] = [
    ["Total landed cost", money(c.totalLandedCostMinor), money(d.totalLandedCostMinor), signed(d.totalLandedCostMinor - c.totalLandedCostMinor, money)],
    ["Average per order shipped", money(c.averageCostPerOrderMinor), money(d.averageCostPerOrderMinor), signed(d.averageCostPerOrderMinor - c.averageCostPerOrderMinor, money)],
    ["Shipments", String(c.shipments), String(d.shipments), signed(d.shipments - c.shipments, count)],
    ["Orders split", splitShare(c), splitShare(d), signed(d.ordersSplit - c.ordersSplit, count)],
    ["Shipments per order", count(c.averageShipmentsPerOrder), count(d.averageShipmentsPerOrder), signed(Math.round((d.averageShipmentsPerOrder - c.averageShipmentsPerOrder) * 100) / 100, count)],
    ["On time (promised orders)", onTime(c), onTime(d), c.onTime.percent !== null && d.onTime.percent !== null ? signed(Math.round((d.onTime.percent - c.onTime.percent) * 10) / 10, (v) => `${v} pts`) : "—"],
    [`Delivered within ${c.deliveredWithin.days} days`, pct(c.deliveredWithin.percent), pct(d.deliveredWithin.percent), c.deliveredWithin.percent !== null && d.deliveredWithin.percent !== null ? signed(Math.round((d.deliveredWithin.percent - c.deliveredWithin.percent) * 10) / 10, (v) => `${v} pts`) : "—"],
    ["Units allocated", String(c.unitsAllocated), String(d.unitsAllocated), signed(d.unitsAllocated - c.unitsAllocated, count)],
    ["Backordered units", String(c.backorderedUnits), String(d.backorderedUnits), signed(d.backorderedUnits - c.backorderedUnits, count)],
    ["Orders with a backorder", String(c.ordersWithBackorder), String(d.ordersWithBackorder), signed(d.ordersWithBackorder - c.ordersWithBackorder, count)],
  ];
  const draftLoad = new Map(d.locations.map((l) => [l.locationId, l]));
  const loadRows = c.locations.map((l) => {
    const other = draftLoad.get(l.locationId) ?? { orders: 0, units: 0 };
    return [l.name, l.orders, l.units, other.orders, other.units, signed(other.orders - l.orders, count)];
  });
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {`Simulation over the last ${result.orders} orders`}
          </Text>
          <Text as="p" tone="subdued">
            {`Current: ${result.sources.current === "active" ? "the active policy" : "the default policy (nothing activated yet)"}. Draft: ${result.sources.draft === "given" ? "as edited on this page" : "the saved draft"}. ` +
              `${result.ordersRoutedDifferently} of ${result.orders} orders ship from different locations under the draft. Stock starts from today's, plus what these orders hold now; each policy depletes its own copy. Took ${(result.elapsedMs / 1000).toFixed(1)} s.`}
          </Text>
        </BlockStack>
        <DataTable columnContentTypes={["text", "numeric", "numeric", "numeric"]} headings={["", "Current", "Draft", "Draft − current"]} rows={rows} />
        <Text as="h3" variant="headingSm">
          Load per location
        </Text>
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
          headings={["Location", "Current orders", "Current units", "Draft orders", "Draft units", "Orders change"]}
          rows={loadRows}
        />
      </BlockStack>
    </Card>
  );
}
