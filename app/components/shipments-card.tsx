import { Badge, Banner, BlockStack, Button, Card, DataTable, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";

// An order's shipments (what left, how, and whether its channel was told) and, for an order we ship ourselves
// (Amazon merchant-fulfilled, wholesale, manual), the form that records the next one.

export interface ShipmentView {
  id: string;
  externalId: string;
  carrier: string;
  service: string | null;
  trackingNumber: string | null;
  shippedAt: string;
  units: number;
  cartons: number;
  channelStatus: string;
  channelError: string | null;
}

export interface ShippableLineView {
  lineId: string;
  sku: string | null;
  title: string;
  open: number;
}

export interface ShipmentsCardProps {
  shipments: ShipmentView[];
  /** Null when the order is not shipped here (a Shopify order, a cancelled one). */
  form: { token: string; lines: ShippableLineView[]; locations: { label: string; value: string }[] } | null;
  problems: string[];
  submitting: boolean;
  onShip: (fields: Record<string, string>) => void;
}

const CHANNEL_STATUS: Record<string, { tone: "success" | "attention" | "critical" | undefined; label: string }> = {
  confirmed: { tone: "success", label: "channel told" },
  pending: { tone: "attention", label: "telling the channel" },
  failed: { tone: "critical", label: "channel refused" },
  none: { tone: undefined, label: "nothing to tell" },
};

export function ShipmentsCard({ shipments, form, problems, submitting, onShip }: ShipmentsCardProps) {
  const [carrier, setCarrier] = useState("");
  const [service, setService] = useState("");
  const [tracking, setTracking] = useState("");
  const [location, setLocation] = useState("");
  const [quantities, setQuantities] = useState<Record<string, string>>(() => Object.fromEntries((form?.lines ?? []).map((l) => [l.lineId, String(l.open)])));
  const openLines = form?.lines.filter((l) => l.open > 0) ?? [];
  if (shipments.length === 0 && openLines.length === 0) return null;

  const ship = () =>
    onShip({
      intent: "ship",
      token: form!.token,
      carrier,
      service,
      trackingNumber: tracking,
      location,
      lines: JSON.stringify(openLines.map((l) => ({ lineId: l.lineId, quantity: quantities[l.lineId] ?? "0" }))),
    });

  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h3" variant="headingMd">
          Shipments
        </Text>
        {shipments.length > 0 ? (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "text"]}
            headings={["Shipped", "Carrier and tracking", "Units", "Channel"]}
            rows={shipments.map((s) => [
              new Date(s.shippedAt).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }),
              [s.carrier, s.service, s.trackingNumber].filter(Boolean).join(" · ") + (s.cartons > 0 ? ` (${s.cartons} cartons)` : ""),
              s.units,
              <InlineStack key={s.id} gap="100">
                <Badge tone={CHANNEL_STATUS[s.channelStatus]?.tone}>{CHANNEL_STATUS[s.channelStatus]?.label ?? s.channelStatus}</Badge>
                {s.channelError ? (
                  <Text as="span" tone="critical">
                    {s.channelError}
                  </Text>
                ) : null}
              </InlineStack>,
            ])}
          />
        ) : null}
        {form && openLines.length > 0 ? (
          <BlockStack gap="200">
            {problems.length > 0 ? (
              <Banner tone="critical" title="The shipment was not recorded">
                <BlockStack gap="100">
                  {problems.map((p) => (
                    <Text as="p" key={p}>
                      {p}
                    </Text>
                  ))}
                </BlockStack>
              </Banner>
            ) : null}
            <FormLayout>
              <FormLayout.Group>
                <TextField label="Carrier" value={carrier} onChange={setCarrier} autoComplete="off" helpText="UPS, USPS, FedEx, DHL… or any name" />
                <TextField label="Service" value={service} onChange={setService} autoComplete="off" />
                <TextField label="Tracking number" value={tracking} onChange={setTracking} autoComplete="off" />
              </FormLayout.Group>
              <Select label="Shipped from" options={[{ label: "Where the units are reserved", value: "" }, ...form.locations]} value={location} onChange={setLocation} />
              {openLines.map((l) => (
                <TextField
                  key={l.lineId}
                  label={`${l.sku ?? l.lineId} — ${l.title} (${l.open} open)`}
                  type="number"
                  min={0}
                  max={l.open}
                  value={quantities[l.lineId] ?? "0"}
                  onChange={(v) => setQuantities((q) => ({ ...q, [l.lineId]: v }))}
                  autoComplete="off"
                />
              ))}
            </FormLayout>
            <InlineStack align="end">
              <Button variant="primary" onClick={ship} loading={submitting} disabled={!carrier.trim()}>
                Record shipment
              </Button>
            </InlineStack>
          </BlockStack>
        ) : null}
      </BlockStack>
    </Card>
  );
}
