import { Badge, BlockStack, Box, Button, ButtonGroup, Card, ChoiceList, InlineError, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { RULE_INFO, newRule, type RuleDraft, type RuleType } from "./policy-draft";

// The ordered rule list: filters remove locations or plans, ranking rules are compared in this order.

export interface LocationOption {
  id: string;
  name: string;
}

interface Props {
  rules: RuleDraft[];
  onChange: (rules: RuleDraft[]) => void;
  locations: LocationOption[];
  errorAt: (path: string) => string | undefined;
}

const RULE_TYPES = Object.keys(RULE_INFO) as RuleType[];

export function RuleListEditor({ rules, onChange, locations, errorAt }: Props) {
  const [adding, setAdding] = useState<RuleType>("exclude_locations");
  const update = (index: number, patch: Partial<RuleDraft>) => onChange(rules.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  const move = (index: number, by: number) => {
    const next = [...rules];
    const [rule] = next.splice(index, 1);
    next.splice(index + by, 0, rule);
    onChange(next);
  };
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Rules
          </Text>
          <Text as="p" tone="subdued">
            Filters take locations or plans out; ranking rules then compare what is left, first rule first. Shipping every unit always comes before any rule.
          </Text>
        </BlockStack>
        {errorAt("rules") ? <InlineError message={errorAt("rules")!} fieldID="rules" /> : null}
        {rules.map((rule, index) => {
          const info = RULE_INFO[rule.type];
          return (
            <Box key={rule.key} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="center" wrap={false}>
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="span" fontWeight="semibold">{`${index + 1}. ${info.label}`}</Text>
                    <Badge tone={info.kind === "filter" ? "info" : undefined}>{info.kind}</Badge>
                  </InlineStack>
                  <ButtonGroup variant="segmented">
                    <Button accessibilityLabel={`Move rule ${index + 1} up`} disabled={index === 0} onClick={() => move(index, -1)}>
                      ↑
                    </Button>
                    <Button accessibilityLabel={`Move rule ${index + 1} down`} disabled={index === rules.length - 1} onClick={() => move(index, 1)}>
                      ↓
                    </Button>
                    <Button tone="critical" accessibilityLabel={`Remove rule ${index + 1}`} onClick={() => onChange(rules.filter((_, i) => i !== index))}>
                      Remove
                    </Button>
                  </ButtonGroup>
                </InlineStack>
                <Text as="p" tone="subdued" variant="bodySm">
                  {info.help}
                </Text>
                {rule.type === "max_splits" ? (
                  <TextField label="Maximum shipments per order" type="number" min={1} value={rule.max} onChange={(max) => update(index, { max })} autoComplete="off" error={errorAt(`rules.${index}.max`)} />
                ) : null}
                {rule.type === "exclude_locations" || rule.type === "prefer_locations" ? (
                  <ChoiceList
                    allowMultiple
                    title="Locations"
                    choices={locations.map((l) => ({ label: l.name, value: l.id }))}
                    selected={rule.ids}
                    onChange={(ids) => update(index, { ids })}
                    error={errorAt(`rules.${index}.ids`)}
                  />
                ) : null}
                {rule.type === "prefer_locations" ? (
                  <TextField
                    label="Bonus per unit (cents, optional)"
                    helpText="Blank: a ranking rule of its own. A bonus instead makes these locations that much cheaper per unit inside Lowest landed cost."
                    type="number"
                    min={0}
                    value={rule.bonus}
                    onChange={(bonus) => update(index, { bonus })}
                    autoComplete="off"
                    error={errorAt(`rules.${index}.bonusMinor`)}
                  />
                ) : null}
              </BlockStack>
            </Box>
          );
        })}
        <InlineStack gap="200" blockAlign="end">
          <Select label="Rule to add" options={RULE_TYPES.map((t) => ({ label: RULE_INFO[t].label, value: t }))} value={adding} onChange={(v) => setAdding(v as RuleType)} />
          <Button onClick={() => onChange([...rules, newRule(adding)])}>Add rule</Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
