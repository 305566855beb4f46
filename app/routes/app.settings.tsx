import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, FormLayout, InlineGrid, InlineStack, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { listLocations } from "~/.server/db/catalog";
import { database } from "~/.server/db/database";
import { AppError } from "~/.server/errors";
import { createApiKey, listApiKeyViews, revokeApiKey } from "~/.server/use-cases/manage-api-keys";
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
    apiKeys: await listApiKeyViews(shop.id),
  };
}

const settingsForm = z.object({
  locationId: z.string().min(1),
  dailyCapacity: z.coerce.number().int().min(0).max(1_000_000),
  carrierCutoff: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use HH:MM, 24-hour"),
  handlingCostMinor: z.coerce.number().int().min(0).max(1_000_000),
});

type ActionResult = { ok: true; error: null; message: string; newKey?: { name: string; scope: string; text: string } } | { ok: false; error: string };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await requireAdminShop(request);
  const form = await readForm(request);
  const intent = form.get("intent");
  if (intent === "createApiKey" || intent === "revokeApiKey") {
    try {
      if (intent === "revokeApiKey") {
        await revokeApiKey(shop.id, String(form.get("keyId") ?? ""));
        return { ok: true, error: null, message: "Key revoked: requests with it are refused from now on." };
      }
      const { key, text } = await createApiKey(shop.id, { name: String(form.get("name") ?? ""), scope: String(form.get("scope") ?? "") });
      return { ok: true, error: null, message: `Key ${key.name} created.`, newKey: { name: key.name, scope: key.scope, text } };
    } catch (error) {
      if (error instanceof AppError && (error.type === "invalid_data" || error.type === "not_found")) return { ok: false, error: error.message };
      throw error;
    }
  }
  const parsed = settingsForm.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { ok: false, error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const result = await updateLocationSettings(shop.id, parsed.data.locationId, parsed.data);
  return result.ok ? { ok: true, error: null, message: "Saved." } : { ok: false, error: result.error };
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

type ApiKeyView = ReturnType<typeof useLoaderData<typeof loader>>["apiKeys"][number];

const when = (iso: string | null) => (iso ? new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC" : "—");

/** The shop's API keys for ERPs and integrations: made here (shown once), revoked here. */
function ApiKeysCard({ keys, newKey }: { keys: ApiKeyView[]; newKey?: { name: string; scope: string; text: string } }) {
  const [name, setName] = useState("");
  const [scope, setScope] = useState("read");
  const busy = useNavigation().state === "submitting";
  const rows = keys.map((k) => [
    k.name,
    <Text key="p" as="span" fontWeight="medium">{`oms_${k.prefix}_…`}</Text>,
    k.scope === "write" ? "Read and write" : "Read only",
    when(k.createdAt),
    when(k.lastUsedAt),
    k.revokedAt ? (
      <Badge key="r" tone="critical">{`Revoked ${when(k.revokedAt)}`}</Badge>
    ) : (
      <Form key="r" method="post">
        <input type="hidden" name="intent" value="revokeApiKey" />
        <input type="hidden" name="keyId" value={k.id} />
        <Button submit tone="critical" variant="plain" loading={busy}>
          Revoke
        </Button>
      </Form>
    ),
  ]);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="p" tone="subdued">
          For ERPs and integrations calling /api/v1 with Authorization: Bearer &lt;key&gt;. A read key may only read (GET); a write key may also create orders,
          receipts and purchase orders. Every key sees this shop only.
        </Text>
        {newKey ? (
          <Banner tone="warning" title={`Copy the key ${newKey.name} now: it is not shown again`}>
            <Box paddingBlockStart="200">
              <TextField label={`${newKey.scope === "write" ? "Read and write" : "Read only"} key`} value={newKey.text} readOnly autoComplete="off" monospaced selectTextOnFocus />
            </Box>
          </Banner>
        ) : null}
        {rows.length ? (
          <DataTable columnContentTypes={["text", "text", "text", "text", "text", "text"]} headings={["Name", "Key", "Scope", "Created", "Last used", ""]} rows={rows} />
        ) : (
          <Text as="p">No keys yet.</Text>
        )}
        <Form method="post">
          <input type="hidden" name="intent" value="createApiKey" />
          <FormLayout>
            <FormLayout.Group>
              <TextField label="Name" name="name" value={name} onChange={setName} autoComplete="off" placeholder="NetSuite" maxLength={80} />
              <Select label="Scope" name="scope" options={[{ label: "Read only", value: "read" }, { label: "Read and write", value: "write" }]} value={scope} onChange={setScope} />
            </FormLayout.Group>
          </FormLayout>
          <Box paddingBlockStart="300">
            <InlineStack>
              <Button submit loading={busy}>
                Create key
              </Button>
            </InlineStack>
          </Box>
        </Form>
      </BlockStack>
    </Card>
  );
}

export default function Settings() {
  const { shop, locations, apiKeys } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page title="Settings" subtitle={`${shop.name} · ${shop.domain} · ${shop.currency} · ${shop.timezone}`}>
      <BlockStack gap="400">
        {result?.ok === false ? <Banner tone="critical">{result.error}</Banner> : null}
        {result?.ok && !result.newKey ? <Banner tone="success">{result.message}</Banner> : null}
        <Text as="h2" variant="headingMd">
          Locations
        </Text>
        {locations.map((l) => (
          <LocationForm key={l.id} location={l} />
        ))}
        <Text as="h2" variant="headingMd">
          API keys
        </Text>
        <ApiKeysCard keys={apiKeys} newKey={result?.ok ? result.newKey : undefined} />
      </BlockStack>
    </Page>
  );
}
