import { Badge, BlockStack, Box, Card, DataTable, InlineStack, List, Text } from "@shopify/polaris";
import type { DecisionView } from "~/.server/use-cases/get-order-detail";
import { formatMinorUnits } from "~/domain/shared/money";

// One routing decision, explained: who decided, what each shipment costs, every candidate plan that was
// considered with its score vector, and the locations that never entered the search.

const KEY_LABEL: Record<string, string> = {
  unallocated_units: "Unallocated units",
  promise_missed: "Misses promise",
  lowest_landed_cost: "Landed cost (as ranked)",
  fewest_splits: "Shipments",
  closest: "Units × km",
  prefer_locations: "Units not from preferred",
};

export function scoreLabel(key: string): string {
  const [base, n] = key.split("#");
  return `${KEY_LABEL[base] ?? base}${n ? ` (${n})` : ""}`;
}

const EXCLUDED_BY: Record<string, string> = { partial_coverage: "ships fewer units", promise_feasible: "misses the promised date" };
const LOCATION_REASON: Record<string, string> = {
  exclude_locations: "excluded by a rule",
  capacity: "no capacity left that day",
  no_stock: "holds none of the ordered SKUs",
  no_service: "no carrier service reaches the destination",
};

const yesNo = (value: boolean | null) => (value === null ? "—" : value ? "Yes" : "No");
const day = (iso: string) => new Date(`${iso}T12:00:00Z`).toLocaleDateString("en-US", { weekday: "short", month: "short", day: "numeric", timeZone: "UTC" });
const RULE_WORDS: Record<string, string> = { max_splits: "the shipment limit", partial_coverage: "shipping fewer units", promise_feasible: "the promised date" };

function scoreCell(key: string, value: number | undefined, currency: string): string {
  if (value === undefined || value === null) return "—";
  if (key.startsWith("lowest_landed_cost")) return formatMinorUnits(Math.round(value), currency);
  if (key === "promise_missed") return value ? "yes" : "no";
  return String(value);
}

export function RoutingExplanation({ decision, currency, current }: { decision: DecisionView; currency: string; current: boolean }) {
  const money = (minor: number) => formatMinorUnits(minor, currency);
  const decided = new Date(decision.decidedAt).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "medium", timeZone: "UTC" });
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingMd">
              {current ? "Routing in force" : "Earlier routing"}
            </Text>
            <Badge tone={decision.method === "exact" ? "success" : "attention"}>{decision.method === "exact" ? "Exact (optimal)" : decision.method === "heuristic" ? "Heuristic (not proven optimal)" : decision.method}</Badge>
            {decision.meetsPromise === false ? <Badge tone="critical">Misses promise</Badge> : null}
            {decision.unitsBackordered > 0 ? <Badge tone="warning">{`${decision.unitsBackordered} backordered`}</Badge> : null}
          </InlineStack>
          <Text as="p" variant="bodyLg" fontWeight="semibold">
            {decision.headline}
          </Text>
          <Text as="p" tone="subdued">
            {decided} UTC · {decision.summary}
          </Text>
          {decision.promiseFallback ? <Text as="p" tone="caution">No plan could meet the promised date, so the promise was set aside.</Text> : null}
          {decision.stockValue ? (
            <InlineStack gap="200" blockAlign="center">
              <Badge tone={decision.stockValue.changedChoice ? "attention" : undefined}>{decision.stockValue.changedChoice ? "Scarce stock kept" : "Stock prices counted"}</Badge>
              <Text as="p" tone="subdued">
                {decision.stockValue.passedOver
                  ? `The daily stock plan values units that forecast demand elsewhere will need. ${decision.stockValue.passedOver.locations.join(" + ")} would cost ${money(decision.stockValue.passedOver.totalMinor)} to ship but uses stock valued at ${money(decision.stockValue.passedOver.stockValueMinor)}; the chosen plan uses stock valued at ${money(decision.stockValue.chosenMinor)}.`
                  : `Ranked with the daily stock plan's prices (the chosen plan uses stock valued at ${money(decision.stockValue.chosenMinor)}); they did not change the choice.`}
              </Text>
            </InlineStack>
          ) : null}
        </BlockStack>

        <BlockStack gap="200">
          <Text as="h4" variant="headingSm">
            Cost per shipment
          </Text>
          {decision.shipments.length === 0 ? (
            <Text as="p" tone="subdued">Nothing ships yet.</Text>
          ) : (
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "text", "numeric", "numeric", "numeric", "numeric", "text", "text", "text"]}
              headings={["Location", "km", "Zone", "Service", "Units", "Handling", "Shipping", "Total", "Ships", "Arrives", "On time"]}
              rows={decision.shipments.map((s) => [s.location, s.distanceKm, s.zone, s.service, s.units, money(s.handlingMinor), money(s.shippingMinor), money(s.totalMinor), day(s.shipDate), day(s.estimatedDeliveryDate), yesNo(s.meetsPromise)])}
              totals={["", "", "", "", decision.unitsAllocated, "", "", money(decision.totalCostMinor), "", "", ""]}
              showTotalsInFooter
            />
          )}
        </BlockStack>

        <BlockStack gap="200">
          <Text as="h4" variant="headingSm">
            Candidates considered
          </Text>
          <Text as="p" tone="subdued">
            Scores are compared left to right, lower is better; the first column where two plans differ decides. The ranked landed cost includes any preference bonus{decision.stockValue ? " and the value of the scarce stock the plan uses" : ""}; the real cost does not.
          </Text>
          <DataTable
            columnContentTypes={["numeric", "text", ...decision.scoreKeys.map(() => "numeric" as const), "numeric", ...(decision.stockValue ? ["numeric" as const] : []), "text"]}
            headings={["Rank", "Locations", ...decision.scoreKeys.map(scoreLabel), "Real cost", ...(decision.stockValue ? ["Stock value"] : []), "Excluded by"]}
            rows={decision.candidates.map((c) => [
              c.rank, c.locations.join(" + "), ...decision.scoreKeys.map((k, i) => scoreCell(k, c.scores[i], currency)), money(c.totalMinor),
              ...(decision.stockValue ? [money(c.stockValueMinor ?? 0)] : []), c.excludedBy ? EXCLUDED_BY[c.excludedBy] ?? c.excludedBy : "—",
            ])}
          />
          <Text as="p" tone="subdued" variant="bodySm">
            {`Search: ${decision.counts.subsetsEvaluated} location sets evaluated, ${decision.counts.candidatePlans} candidate plans, ${decision.counts.dominated} dominated, ${decision.counts.prunedByBound} pruned by bound` +
              Object.entries(decision.counts.excludedByRule)
                .filter(([, n]) => Boolean(n))
                .map(([rule, n]) => `, ${n} set aside by ${RULE_WORDS[rule] ?? rule}`)
                .join("") +
              "."}
          </Text>
        </BlockStack>

        {decision.excludedLocations.length > 0 ? (
          <Box>
            <Text as="h4" variant="headingSm">
              Locations not considered
            </Text>
            <List type="bullet">
              {decision.excludedLocations.map((e) => (
                <List.Item key={`${e.location}:${e.reason}`}>
                  {e.location}: {LOCATION_REASON[e.reason] ?? e.reason}
                </List.Item>
              ))}
            </List>
          </Box>
        ) : null}
      </BlockStack>
    </Card>
  );
}
