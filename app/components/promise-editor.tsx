import { BlockStack, Button, Card, InlineError, InlineStack, Text, TextField } from "@shopify/polaris";
import { newKey, type PromiseDraft } from "./policy-draft";

// The delivery promise: which date an order is promised when it comes in, by the shipping method the
// customer chose (service levels matched by words in its title or code), in business days.

interface Props {
  promise: PromiseDraft;
  onChange: (promise: PromiseDraft) => void;
  errorAt: (path: string) => string | undefined;
}

const grid = { display: "grid", gridTemplateColumns: "minmax(7rem, 1fr) minmax(12rem, 2fr) minmax(5rem, 0.7fr) auto", gap: "8px", alignItems: "end" };

export function PromiseEditor({ promise, onChange, errorAt }: Props) {
  const setLevel = (index: number, patch: Partial<PromiseDraft["levels"][number]>) => onChange({ ...promise, levels: promise.levels.map((l, i) => (i === index ? { ...l, ...patch } : l)) });
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Delivery promise
        </Text>
        <Text as="p" tone="subdued">
          Each new order is promised a delivery date: the channel&apos;s own when it states one, else the first service level whose words appear in the shipping method chosen at checkout, counted in business days (Monday–Friday) from the day it was placed. &quot;Keep the promised date&quot; then routes to meet it.
        </Text>
        {errorAt("promise.serviceLevels") ? <InlineError message={errorAt("promise.serviceLevels")!} fieldID="serviceLevels" /> : null}
        <div style={grid}>
          {promise.levels.map((l, i) => [
            <TextField key={`${l.key}:name`} label="Service level" labelHidden={i > 0} value={l.name} onChange={(name) => setLevel(i, { name })} autoComplete="off" error={errorAt(`promise.serviceLevels.${i}.name`)} />,
            <TextField key={`${l.key}:matches`} label="Shipping method words (comma-separated)" labelHidden={i > 0} value={l.matches} onChange={(matches) => setLevel(i, { matches })} autoComplete="off" error={errorAt(`promise.serviceLevels.${i}.matches`)} />,
            <TextField key={`${l.key}:days`} label="Business days" labelHidden={i > 0} value={l.businessDays} onChange={(businessDays) => setLevel(i, { businessDays })} autoComplete="off" error={errorAt(`promise.serviceLevels.${i}.businessDays`)} />,
            <Button key={`${l.key}:remove`} variant="plain" tone="critical" accessibilityLabel={`Remove service level ${i + 1}`} onClick={() => onChange({ ...promise, levels: promise.levels.filter((_, k) => k !== i) })}>
              Remove
            </Button>,
          ])}
        </div>
        <InlineStack gap="300" blockAlign="end">
          <Button onClick={() => onChange({ ...promise, levels: [...promise.levels, { key: newKey(), name: "", matches: "", businessDays: "" }] })}>Add service level</Button>
          <div style={{ width: "16rem" }}>
            <TextField
              label="Otherwise, business days"
              helpText="When no service level matches. Blank: promise nothing."
              value={promise.defaultBusinessDays}
              onChange={(defaultBusinessDays) => onChange({ ...promise, defaultBusinessDays })}
              autoComplete="off"
              error={errorAt("promise.defaultBusinessDays")}
            />
          </div>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}
