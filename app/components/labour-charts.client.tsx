import { BlockStack, InlineGrid, Text } from "@shopify/polaris";
import { BarChart, PolarisVizProvider, type DataSeries } from "@shopify/polaris-viz";

// The labour charts themselves: polaris-viz measures the page (window, ResizeObserver), so this module is loaded in
// the browser only (`.client`, through React.lazy in labour-charts.tsx); the server renders the figures as a table.

/** The same shape as LabourChartPanel in labour-charts.tsx (not imported: that module lazily imports this one). */
interface Panel {
  title: string;
  series: { name: string; data: { key: string; value: number | null }[] }[];
}

export default function LabourCharts({ panels }: { panels: Panel[] }) {
  return (
    <PolarisVizProvider>
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        {panels.map((panel) => (
          <BlockStack key={panel.title} gap="200">
            <Text as="h3" variant="headingSm">
              {panel.title}
            </Text>
            <div style={{ height: 240 }}>
              <BarChart theme="Light" data={panel.series as DataSeries[]} xAxisOptions={{ labelFormatter: (v) => String(v ?? "") }} />
            </div>
          </BlockStack>
        ))}
      </InlineGrid>
    </PolarisVizProvider>
  );
}
