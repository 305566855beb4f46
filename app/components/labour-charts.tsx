import { BlockStack, DataTable, Text } from "@shopify/polaris";
import { lazy, Suspense, useEffect, useState } from "react";

// Labour per worker and day as bar charts (a series per worker, a bar group per day) in the browser; on the server,
// and until the chart code has loaded, the same figures as a table.

export interface LabourChartPanel {
  title: string;
  /** One series per worker: { key: day label, value } per day (null: no figure that day). */
  series: { name: string; data: { key: string; value: number | null }[] }[];
}

const Charts = lazy(() => import("./labour-charts.client"));

export function LabourChart({ panels }: { panels: LabourChartPanel[] }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const table = <LabourTable panels={panels} />;
  if (!mounted) return table;
  return (
    <Suspense fallback={table}>
      <Charts panels={panels} />
    </Suspense>
  );
}

const fmt = (v: number | null) => (v === null ? "—" : v >= 100 ? v.toFixed(0) : v.toFixed(1));

function LabourTable({ panels }: { panels: LabourChartPanel[] }) {
  if (panels.every((p) => p.series.length === 0)) return <Text as="p" tone="subdued">No scans in this period.</Text>;
  return (
    <BlockStack gap="300">
      {panels.map((p) => (
        <BlockStack key={p.title} gap="100">
          <Text as="h3" variant="headingSm">{p.title}</Text>
          <DataTable
            columnContentTypes={["text", ...(p.series[0]?.data ?? []).map(() => "numeric" as const)]}
            headings={["Worker", ...(p.series[0]?.data ?? []).map((d) => d.key)]}
            rows={p.series.map((s) => [s.name, ...s.data.map((d) => fmt(d.value))])}
          />
        </BlockStack>
      ))}
    </BlockStack>
  );
}
