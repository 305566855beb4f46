import { BlockStack, DataTable, Text } from "@shopify/polaris";
import { lazy, Suspense, useEffect, useState } from "react";
import type { DailyFigures } from "~/domain/inventory/stock-history";

// A SKU's stock over the last days: line charts (on hand and available, all locations then each one) in the
// browser; on the server, and until the chart code has loaded, the same figures as a table.

export interface StockHistoryPanel {
  title: string;
  days: DailyFigures[];
}

const Charts = lazy(() => import("./stock-history-chart.client"));

const dayLabel = (day: string) => new Date(`${day}T00:00:00.000Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

export function StockHistoryChart({ panels }: { panels: StockHistoryPanel[] }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const table = <StockHistoryTable panels={panels} />;
  if (!mounted) return table;
  return (
    <Suspense fallback={table}>
      <Charts panels={panels} dayLabel={dayLabel} />
    </Suspense>
  );
}

/** The figures as text: every panel's on hand / available per day (UTC), newest day first. */
function StockHistoryTable({ panels }: { panels: StockHistoryPanel[] }) {
  const days = panels[0]?.days ?? [];
  if (days.length === 0) return <Text as="p" tone="subdued">No stock history.</Text>;
  return (
    <BlockStack gap="200">
      <Text as="p" tone="subdued">
        On hand / available at the end of each day (UTC).
      </Text>
      <DataTable
        columnContentTypes={["text", ...panels.map(() => "numeric" as const)]}
        headings={["Day", ...panels.map((p) => p.title)]}
        rows={days.map((d, i) => [dayLabel(d.day), ...panels.map((p) => `${p.days[i]?.onHand ?? "—"} / ${p.days[i]?.available ?? "—"}`)]).reverse()}
      />
    </BlockStack>
  );
}
