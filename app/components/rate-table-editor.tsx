import { BlockStack, Box, Button, Card, InlineError, InlineStack, Text, TextField } from "@shopify/polaris";
import { newKey, type PolicyDraft, type ServiceDraft, type ZoneDraft } from "./policy-draft";

// The rate table: distance bands (zones) with their charges, and carrier services with transit days per
// zone and a multiplier on the shipping charges.

interface Props {
  zones: ZoneDraft[];
  services: ServiceDraft[];
  onChange: (next: Pick<PolicyDraft, "zones" | "services">) => void;
  errorAt: (path: string) => string | undefined;
}

const ZONE_FIELDS: { field: keyof Omit<ZoneDraft, "key">; label: string }[] = [
  { field: "zone", label: "Zone" },
  { field: "maxKm", label: "Up to km" },
  { field: "perPackageMinor", label: "¢ / package" },
  { field: "perUnitMinor", label: "¢ / unit" },
  { field: "perKgMinor", label: "¢ / kg" },
  { field: "perKgPer100KmMinor", label: "¢ / kg·100 km" },
];

const cell = { minWidth: "7rem", flex: "1 1 7rem" };
const zoneGrid = { display: "grid", gridTemplateColumns: "3.5rem repeat(5, minmax(4.5rem, 1fr)) auto", gap: "8px", alignItems: "end" };
const transitGrid = (n: number) => ({ display: "grid", gridTemplateColumns: `repeat(${Math.max(n, 1)}, minmax(3.5rem, 1fr))`, gap: "8px" });

export function RateTableEditor({ zones, services, onChange, errorAt }: Props) {
  const setZone = (index: number, patch: Partial<ZoneDraft>) => onChange({ zones: zones.map((z, i) => (i === index ? { ...z, ...patch } : z)), services });
  const setService = (index: number, patch: Partial<ServiceDraft>) => onChange({ zones, services: services.map((s, i) => (i === index ? { ...s, ...patch } : s)) });
  const addZone = () => {
    const last = zones[zones.length - 1];
    const zone: ZoneDraft = { key: newKey(), zone: String((Number(last?.zone) || zones.length) + 1), maxKm: "", perPackageMinor: last?.perPackageMinor ?? "", perUnitMinor: last?.perUnitMinor ?? "", perKgMinor: last?.perKgMinor ?? "", perKgPer100KmMinor: last?.perKgPer100KmMinor ?? "" };
    onChange({ zones: [...zones, zone], services: services.map((s) => ({ ...s, transit: [...s.transit, ""] })) });
  };
  const removeZone = (index: number) => onChange({ zones: zones.filter((_, i) => i !== index), services: services.map((s) => ({ ...s, transit: s.transit.filter((_, i) => i !== index) })) });
  const addService = () => onChange({ zones, services: [...services, { key: newKey(), code: "", name: "", costMultiplier: "1", transit: zones.map(() => "") }] });
  const transitError = (s: number, zone: string) => errorAt(`rateTable.services.${s}.transitDays.${zone.trim()}`);

  return (
    <Card>
      <BlockStack gap="500">
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Zones
          </Text>
          <Text as="p" tone="subdued">
            Distance bands in ascending order, with their charges in cents (¢ / kg is optional). Past the last band a location cannot ship to the customer.
          </Text>
          {errorAt("rateTable.zones") ? <InlineError message={errorAt("rateTable.zones")!} fieldID="zones" /> : null}
          <div style={zoneGrid}>
            {zones.map((z, i) => [
              ...ZONE_FIELDS.map(({ field, label }) => (
                <TextField key={`${z.key}:${field}`} label={label} labelHidden={i > 0} value={z[field]} onChange={(v) => setZone(i, { [field]: v })} autoComplete="off" error={errorAt(`rateTable.zones.${i}.${field}`)} />
              )),
              <Button key={`${z.key}:remove`} variant="plain" tone="critical" accessibilityLabel={`Remove zone row ${i + 1}`} onClick={() => removeZone(i)} disabled={zones.length <= 1}>
                Remove
              </Button>,
            ])}
          </div>
          <InlineStack>
            <Button onClick={addZone}>Add zone</Button>
          </InlineStack>
        </BlockStack>

        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">
            Carrier services
          </Text>
          <Text as="p" tone="subdued">
            Per location, the cheapest service that meets the promised date is used (the fastest when none can). Leave a zone blank if the service does not serve it.
          </Text>
          {services.map((s, si) => (
            <Box key={s.key} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
              <BlockStack gap="200">
                <InlineStack gap="200" blockAlign="end" wrap>
                  <div style={cell}>
                    <TextField label="Code" value={s.code} onChange={(code) => setService(si, { code })} autoComplete="off" error={errorAt(`rateTable.services.${si}.code`)} />
                  </div>
                  <div style={{ ...cell, flex: "2 1 12rem" }}>
                    <TextField label="Name" value={s.name} onChange={(name) => setService(si, { name })} autoComplete="off" error={errorAt(`rateTable.services.${si}.name`)} />
                  </div>
                  <div style={cell}>
                    <TextField label="Cost multiplier" value={s.costMultiplier} onChange={(costMultiplier) => setService(si, { costMultiplier })} autoComplete="off" error={errorAt(`rateTable.services.${si}.costMultiplier`)} />
                  </div>
                  <Button tone="critical" accessibilityLabel={`Remove service ${si + 1}`} onClick={() => onChange({ zones, services: services.filter((_, i) => i !== si) })} disabled={services.length <= 1}>
                    Remove
                  </Button>
                </InlineStack>
                <Text as="span" variant="bodySm" tone="subdued">
                  Transit days per zone
                </Text>
                <div style={transitGrid(zones.length)}>
                  {zones.map((z, zi) => (
                    <div key={z.key}>
                      <TextField
                        label={`Zone ${z.zone || zi + 1}`}
                        value={s.transit[zi] ?? ""}
                        onChange={(v) => setService(si, { transit: zones.map((_, k) => (k === zi ? v : s.transit[k] ?? "")) })}
                        autoComplete="off"
                        error={transitError(si, z.zone)}
                      />
                    </div>
                  ))}
                </div>
              </BlockStack>
            </Box>
          ))}
          {errorAt("rateTable.services") ? <InlineError message={errorAt("rateTable.services")!} fieldID="services" /> : null}
          <InlineStack>
            <Button onClick={addService}>Add service</Button>
          </InlineStack>
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
