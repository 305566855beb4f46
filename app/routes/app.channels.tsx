import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, DataTable, FormLayout, InlineStack, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { listLocations } from "~/.server/db/catalog";
import { database } from "~/.server/db/database";
import { orderCountsByChannel } from "~/.server/db/orders";
import { listChannels } from "~/.server/db/shops";
import { AppError } from "~/.server/errors";
import { channelSettingsOf, updateChannelSettings } from "~/.server/use-cases/read-channel-stock";
import { amazonConnectionView, connectAmazon, disconnectAmazon } from "~/.server/use-cases/connect-amazon";
import { createTradingPartner, editTradingPartner } from "~/.server/use-cases/manage-trading-partners";
import { partnersWithItemCounts, uploadPriceList } from "~/.server/use-cases/partner-price-lists";
import { ChannelBadge } from "~/components/channel-badge";
import { TradingPartnersCard } from "~/components/trading-partners";
import type { BufferSetting } from "~/domain/channels/channel-config";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const q = database();
  const [channels, counts, locations, partners] = await Promise.all([listChannels(q, shop.id), orderCountsByChannel(q, shop.id), listLocations(q, shop.id), partnersWithItemCounts(shop.id)]);
  return {
    partners,
    locations: locations.filter((l) => l.active).map((l) => ({ id: l.id, name: l.name })),
    channels: await Promise.all(channels.map(async (c) => {
      const settings = channelSettingsOf(c);
      const amazon = c.kind === "amazon" ? { connection: await amazonConnectionView(shop.id, c.id) } : null;
      return { id: c.id, kind: c.kind, name: c.name, active: c.active, orders: counts.get(c.id) ?? 0, locationIds: settings.locationIds, preorders: settings.preorders, buffer: settings.buffer, skuBuffers: Object.keys(settings.skuBuffers).length, amazon };
    })),
  };
}

/** The form's buffer fields → a buffer setting (checked by the channel configuration's schema in the use case). */
function bufferFromForm(form: FormData): unknown {
  const number = (name: string) => (form.get(name) === "" || form.get(name) === null ? Number.NaN : Number(form.get(name)));
  switch (form.get("bufferKind")) {
    case "units":
      return { kind: "units", units: number("bufferUnits") };
    case "percent":
      return { kind: "percent", percent: number("bufferPercent") };
    case "adaptive":
      return { kind: "adaptive", min: number("adaptiveMin"), max: number("adaptiveMax") };
    default:
      return { kind: String(form.get("bufferKind")) };
  }
}

/** The partner form's fields → the input createTradingPartner/editTradingPartner check. */
function partnerFromForm(form: FormData) {
  const text = (name: string) => String(form.get(name) ?? "");
  return {
    code: text("code"),
    name: text("name"),
    currency: text("currency").trim().toUpperCase(),
    isaQualifier: text("isaQualifier"),
    isaId: text("isaId"),
    gsId: text("gsId"),
    ourIsaQualifier: text("ourIsaQualifier"),
    ourIsaId: text("ourIsaId"),
    ourGsId: text("ourGsId"),
    x12Version: text("x12Version") || undefined,
    usage: text("usage") || undefined,
    documents: form.getAll("documents").map(String),
  };
}

/** The problems an AppError lists ("code: …", "line 4: …"), by the form field each names ("partner" for the rest). */
function fieldErrors(error: AppError): Record<string, string> {
  const problems = (error.details as { problems?: unknown } | undefined)?.problems;
  const list = Array.isArray(problems) ? problems.map(String) : [error.message];
  const out: Record<string, string> = {};
  for (const problem of list) {
    const m = /^([A-Za-z]+): (.*)$/.exec(problem);
    const [field, message] = m && m[1] !== "line" ? [m[1], m[2]] : error.code === "PARTNER.TAKEN" ? [/code/.test(problem) ? "code" : /interchange/.test(problem) ? "isaId" : "name", problem] : ["partner", problem];
    out[field] = out[field] ? `${out[field]}; ${message}` : message;
  }
  return out;
}

type PartnerResult = { ok: boolean; channelId: null; error: string | null; message: string | null; partnerForm: string; fieldErrors: Record<string, string>; problems: string[] };

async function partnerAction(shopId: string, intent: string, form: FormData): Promise<PartnerResult> {
  const partnerId = String(form.get("partnerId") ?? "");
  const partnerForm = intent === "createPartner" ? "new" : partnerId;
  const done = (message: string): PartnerResult => ({ ok: true, channelId: null, error: null, message, partnerForm, fieldErrors: {}, problems: [] });
  try {
    if (intent === "createPartner") return done(`Trading partner ${(await createTradingPartner(shopId, partnerFromForm(form))).code} added, with its own wholesale channel.`);
    if (intent === "editPartner") return done(`Trading partner ${(await editTradingPartner(shopId, partnerId, partnerFromForm(form))).code} saved.`);
    const file = form.get("file");
    if (!file || typeof file === "string" || file.size === 0) return { ok: false, channelId: null, error: "Choose a price-list file (CSV: sku, buyer_part_number, unit_price).", message: null, partnerForm, fieldErrors: { file: "choose a file" }, problems: [] };
    const saved = await uploadPriceList(shopId, partnerId, new Uint8Array(await file.arrayBuffer()));
    return done(`Price list saved: ${saved} item${saved === 1 ? "" : "s"} (the previous list is replaced).`);
  } catch (error) {
    if (!(error instanceof AppError) || error.type === "unexpected_state") throw error;
    const problems = (error.details as { problems?: unknown } | undefined)?.problems;
    return { ok: false, channelId: null, error: error.message, message: null, partnerForm, fieldErrors: fieldErrors(error), problems: Array.isArray(problems) ? problems.map(String) : [] };
  }
}

const PARTNER_INTENTS = ["createPartner", "editPartner", "uploadPriceList"];

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const form = await readForm(request);
  const channelId = String(form.get("channelId") ?? "");
  const intent = String(form.get("intent") ?? "");
  if (PARTNER_INTENTS.includes(intent)) return partnerAction(shop.id, intent, form);
  try {
    if (intent === "connectAmazon") {
      await connectAmazon(shop.id, channelId, { sellerId: String(form.get("sellerId") ?? ""), marketplaceId: String(form.get("marketplaceId") ?? ""), refreshToken: String(form.get("refreshToken") ?? "") });
      return { ok: true as const, channelId, error: null };
    }
    if (intent === "disconnectAmazon") {
      await disconnectAmazon(shop.id, channelId);
      return { ok: true as const, channelId, error: null };
    }
    const locationIds = form.get("allLocations") === "on" ? null : form.getAll("locationIds").map(String);
    await updateChannelSettings(shop.id, channelId, { locationIds, preorders: form.get("preorders") === "on", buffer: bufferFromForm(form) });
    return { ok: true as const, channelId, error: null };
  } catch (error) {
    if (error instanceof AppError && (error.type === "invalid_data" || error.type === "not_found")) return { ok: false as const, channelId, error: error.message };
    throw error;
  }
}

type ChannelView = ReturnType<typeof useLoaderData<typeof loader>>["channels"][number];

const BUFFER_KINDS = [
  { label: "Fixed units", value: "units" },
  { label: "Percentage of available", value: "percent" },
  { label: "Adaptive (from sales velocity and measured push lag)", value: "adaptive" },
];

function describeBuffer(b: BufferSetting): string {
  if (b.kind === "units") return `${b.units} unit${b.units === 1 ? "" : "s"}`;
  if (b.kind === "percent") return `${b.percent} %`;
  return `adaptive, ${b.min}–${b.max} units`;
}

/** An Amazon channel's link to the seller's account: who is connected, or the form that connects one. */
function AmazonConnection({ channel }: { channel: ChannelView }) {
  const connection = channel.amazon?.connection ?? null;
  const [sellerId, setSellerId] = useState("");
  const [marketplaceId, setMarketplaceId] = useState("ATVPDKIKX0DER");
  const [refreshToken, setRefreshToken] = useState("");
  const busy = useNavigation().state === "submitting";
  return (
    <Form method="post">
      <input type="hidden" name="channelId" value={channel.id} />
      {connection ? (
        <InlineStack gap="300" blockAlign="center">
          <input type="hidden" name="intent" value="disconnectAmazon" />
          <Text as="span">
            Connected to seller {connection.sellerId} in marketplace {connection.marketplaceId}: available to sell is sent to Amazon as each listing&apos;s seller-fulfilled quantity.
          </Text>
          <Button submit tone="critical" variant="plain" loading={busy}>
            Disconnect
          </Button>
        </InlineStack>
      ) : (
        <BlockStack gap="200">
          <input type="hidden" name="intent" value="connectAmazon" />
          <Text as="p" tone="subdued">
            Not connected: Amazon is not sent any figures. Authorise the app in Seller Central (or self-authorise a private app) and paste what it gives you.
          </Text>
          <FormLayout>
            <FormLayout.Group>
              <TextField label="Seller (merchant token)" name="sellerId" value={sellerId} onChange={setSellerId} autoComplete="off" />
              <TextField label="Marketplace id" name="marketplaceId" value={marketplaceId} onChange={setMarketplaceId} autoComplete="off" />
            </FormLayout.Group>
            <TextField label="Refresh token" name="refreshToken" type="password" value={refreshToken} onChange={setRefreshToken} autoComplete="off" helpText="Starts with Atzr|. Checked with Login with Amazon before it is kept; never shown again." />
          </FormLayout>
          <InlineStack>
            <Button submit loading={busy}>
              Connect Amazon
            </Button>
          </InlineStack>
        </BlockStack>
      )}
    </Form>
  );
}

function ChannelSettings({ channel, locations }: { channel: ChannelView; locations: { id: string; name: string }[] }) {
  const [all, setAll] = useState(channel.locationIds === null);
  const [chosen, setChosen] = useState<string[]>(channel.locationIds ?? locations.map((l) => l.id));
  const [preorders, setPreorders] = useState(channel.preorders);
  const [kind, setKind] = useState<string>(channel.buffer.kind);
  const [units, setUnits] = useState(channel.buffer.kind === "units" ? String(channel.buffer.units) : "0");
  const [percent, setPercent] = useState(channel.buffer.kind === "percent" ? String(channel.buffer.percent) : "10");
  const [min, setMin] = useState(channel.buffer.kind === "adaptive" ? String(channel.buffer.min) : "0");
  const [max, setMax] = useState(channel.buffer.kind === "adaptive" ? String(channel.buffer.max) : "10");
  const busy = useNavigation().state === "submitting";
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="channelId" value={channel.id} />
        {all ? <input type="hidden" name="allLocations" value="on" /> : chosen.map((id) => <input key={id} type="hidden" name="locationIds" value={id} />)}
        {preorders ? <input type="hidden" name="preorders" value="on" /> : null}
        <BlockStack gap="300">
          <InlineStack gap="200" blockAlign="center">
            <ChannelBadge kind={channel.kind} />
            <Text as="h3" variant="headingSm">
              {channel.name}
            </Text>
            <Text as="span" tone="subdued">
              {channel.orders} orders · buffer {describeBuffer(channel.buffer)}
              {channel.skuBuffers > 0 ? ` · ${channel.skuBuffers} SKU buffer${channel.skuBuffers === 1 ? "" : "s"} of their own` : ""}
            </Text>
          </InlineStack>
          <FormLayout>
            <Checkbox label="Sell from every location" checked={all} onChange={setAll} />
            {all ? null : (
              <InlineStack gap="300">
                {locations.map((l) => (
                  <Checkbox key={l.id} label={l.name} checked={chosen.includes(l.id)} onChange={(on) => setChosen(on ? [...chosen, l.id] : chosen.filter((id) => id !== l.id))} />
                ))}
              </InlineStack>
            )}
            <Checkbox label="Sell incoming stock as pre-orders (promising its expected date)" checked={preorders} onChange={setPreorders} />
            <FormLayout.Group>
              <Select label="Buffer" name="bufferKind" options={BUFFER_KINDS} value={kind} onChange={setKind} />
              {kind === "units" ? <TextField label="Units held back" name="bufferUnits" type="number" value={units} onChange={setUnits} autoComplete="off" /> : null}
              {kind === "percent" ? <TextField label="Percent of available held back" name="bufferPercent" type="number" value={percent} onChange={setPercent} autoComplete="off" /> : null}
              {kind === "adaptive" ? <TextField label="At least (units)" name="adaptiveMin" type="number" value={min} onChange={setMin} autoComplete="off" /> : null}
              {kind === "adaptive" ? <TextField label="At most (units)" name="adaptiveMax" type="number" value={max} onChange={setMax} autoComplete="off" /> : null}
            </FormLayout.Group>
          </FormLayout>
          <InlineStack>
            <Button submit loading={busy}>
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

export default function Channels() {
  const { channels, locations, partners } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const partnerResult = result && "partnerForm" in result ? result : null;
  const errorsFor = (formKey: string) => (partnerResult && !partnerResult.ok && partnerResult.partnerForm === formKey ? partnerResult.fieldErrors : {});
  return (
    <Page title="Channels" subtitle="Where orders come from, which locations each sells from, and what it holds back">
      <BlockStack gap="400">
        {result?.ok === false ? (
          <Banner tone="critical">
            {partnerResult && partnerResult.problems.length > 1 ? (
              <BlockStack gap="100">
                <Text as="p">{partnerResult.error?.split(":")[0]}:</Text>
                {partnerResult.problems.slice(0, 50).map((p) => <Text key={p} as="p">{p}</Text>)}
              </BlockStack>
            ) : (
              result.error
            )}
          </Banner>
        ) : null}
        {result?.ok ? <Banner tone="success">{partnerResult?.message ?? "Saved."}</Banner> : null}
        <Card padding="0">
          <DataTable
            columnContentTypes={["text", "text", "text", "numeric"]}
            headings={["Kind", "Name", "State", "Orders stored"]}
            rows={channels.map((c) => [<ChannelBadge key={c.id} kind={c.kind} />, c.name, c.active ? "Active" : "Paused", c.orders])}
          />
        </Card>
        <TradingPartnersCard partners={partners} errorsFor={errorsFor} busy={busy} />
        {channels.map((c) => (
          <BlockStack key={c.id} gap="200">
            <ChannelSettings channel={c} locations={locations} />
            {c.kind === "amazon" ? (
              <Card>
                <AmazonConnection channel={c} />
              </Card>
            ) : null}
          </BlockStack>
        ))}
      </BlockStack>
    </Page>
  );
}
