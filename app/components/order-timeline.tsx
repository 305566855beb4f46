import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import type { TimelineEntry } from "~/.server/use-cases/get-order-detail";

// What happened to an order, oldest first: when, who, and a sentence.

export function OrderTimeline({ entries }: { entries: TimelineEntry[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h3" variant="headingMd">
          Timeline
        </Text>
        {entries.length === 0 ? <Text as="p" tone="subdued">Nothing recorded yet.</Text> : null}
        {entries.map((e, i) => (
          <InlineGrid key={`${e.at}:${i}`} columns={["oneThird", "twoThirds"]} gap="300">
            <BlockStack gap="050">
              <Text as="span" variant="bodySm" numeric>
                {new Date(e.at).toLocaleString("en-US", { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZone: "UTC" })} UTC
              </Text>
              <Text as="span" variant="bodySm" tone="subdued">
                {e.actor} · {e.action}
              </Text>
            </BlockStack>
            <Text as="p">{e.sentence}</Text>
          </InlineGrid>
        ))}
      </BlockStack>
    </Card>
  );
}
