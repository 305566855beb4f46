import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineGrid, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { listLocations } from "~/.server/db/catalog";
import { database } from "~/.server/db/database";
import { updateLocationSettings } from "~/.server/use-cases/update-location-settings";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const locations = await listLocations(database(), shop.id);
  return {
    shop: { name: shop.name, domain: shop.domain, currency: shop.currency, timezone: shop.timezone },
    locations: locations.map((l) => ({
      id: l.id,
      name: l.name,
      place: [l.city, l.province, l.countryCode].filter(Boolean).join(", "),
      dailyCapacity: l.dailyCapacity,
      carrierCutoff: l.carrierCutoff,
      handlingCostMinor: l.handlingCostMinor,
    })),
  };
}

const settingsForm = z.object({
  locationId: z.string().min(1),
  dailyCapacity: z.coerce.number().int().min(0).max(1_000_000),
  carrierCutoff: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM, 24-hour"),
  handlingCostMinor: z.coerce.number().int().min(0).max(1_000_000),
});

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const parsed = settingsForm.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) return { ok: false as const, error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const result = await updateLocationSettings(shop.id, parsed.data.locationId, parsed.data);
  return result.ok ? { ok: true as const, error: null } : { ok: false as const, error: result.error };
}

function LocationForm({ location }: { location: ReturnType<typeof useLoaderData<typeof loader>>["locations"][number] }) {
  const [capacity, setCapacity] = useState(String(location.dailyCapacity));
  const [cutoff, setCutoff] = useState(location.carrierCutoff);
  const [handling, setHandling] = useState(String(location.handlingCostMinor));
  const busy = useNavigation().state === "submitting";
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="locationId" value={location.id} />
        <BlockStack gap="300">
          <Text as="h3" variant="headingSm">
            {location.name} <Text as="span" tone="subdued">{location.place}</Text>
          </Text>
          <FormLayout>
            <FormLayout.Group>
              <TextField label="Daily capacity (orders)" name="dailyCapacity" type="number" value={capacity} onChange={setCapacity} autoComplete="off" />
              <TextField label="Carrier cut-off (local HH:MM)" name="carrierCutoff" value={cutoff} onChange={setCutoff} autoComplete="off" />
              <TextField label="Handling cost per order (cents)" name="handlingCostMinor" type="number" value={handling} onChange={setHandling} autoComplete="off" />
            </FormLayout.Group>
          </FormLayout>
          <InlineGrid columns="auto">
            <Button submit loading={busy}>
              Save
            </Button>
          </InlineGrid>
        </BlockStack>
      </Form>
    </Card>
  );
}

export default function Settings() {
  const { shop, locations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page title="Settings" subtitle={`${shop.name} · ${shop.domain} · ${shop.currency} · ${shop.timezone}`}>
      <BlockStack gap="400">
        {result?.ok === false ? <Banner tone="critical">{result.error}</Banner> : null}
        {result?.ok ? <Banner tone="success">Saved.</Banner> : null}
        <Text as="h2" variant="headingMd">
          Locations
        </Text>
        {locations.map((l) => (
          <LocationForm key={l.id} location={l} />
        ))}
      </BlockStack>
    </Page>
  );
}
