import { BlockStack, InlineGrid, Text } from "@shopify/polaris";
import { LineChart, PolarisVizProvider, type DataSeries } from "@shopify/polaris-viz";
import type { DailyFigures } from "~/domain/inventory/stock-history";

// The charts themselves: polaris-viz measures the page (window, ResizeObserver), so this module is loaded in
// the browser only (`.client`, through React.lazy in stock-history-chart.tsx); the server renders a table.

interface StockHistoryPanel {
  title: string;
  days: DailyFigures[];
}

const series = (panel: StockHistoryPanel, dayLabel: (day: string) => string): DataSeries[] => [
  { name: "On hand", data: panel.days.map((d) => ({ key: dayLabel(d.day), value: d.onHand })) },
  { name: "Available", data: panel.days.map((d) => ({ key: dayLabel(d.day), value: d.available })) },
];

export default function StockHistoryCharts({ panels, dayLabel }: { panels: StockHistoryPanel[]; dayLabel: (day: string) => string }) {
  return (
    <PolarisVizProvider>
      <InlineGrid columns={{ xs: 1, md: panels.length > 1 ? 2 : 1 }} gap="400">
        {panels.map((panel) => (
          <BlockStack key={panel.title} gap="200">
            <Text as="h3" variant="headingSm">
              {panel.title}
            </Text>
            <div style={{ height: 240 }}>
              <LineChart theme="Light" data={series(panel, dayLabel)} xAxisOptions={{ labelFormatter: (v) => String(v ?? "") }} />
            </div>
          </BlockStack>
        ))}
      </InlineGrid>
    </PolarisVizProvider>
  );
}
