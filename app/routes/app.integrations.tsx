import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, Checkbox, DataTable, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints, resendWebhookDelivery, resumeWebhookEndpoint, webhookDeliveries } from "~/.server/use-cases/manage-webhook-endpoints";
import { WEBHOOK_TOPICS } from "~/domain/integrations/events";

// Integrations (ADR 0031): the merchant's outgoing webhook endpoints — registered with their topics, the signing secret
// shown once —, a banner for each one paused after failing continuously (with Resume), and the delivery log with
// status, attempts and the receiver's answer, where a sent or failed delivery can be sent again.

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  return { endpoints: await listWebhookEndpoints(shop.id), deliveries: await webhookDeliveries(shop.id, { limit: 50 }), topics: [...WEBHOOK_TOPICS] };
}

type ActionResult = { ok: true; message: string; secret?: string } | { ok: false; error: string };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await requireAdminShop(request);
  const form = await readForm(request);
  const text = (name: string) => String(form.get(name) ?? "");
  const actor = "admin";
  try {
    switch (form.get("intent")) {
      case "create": {
        const { endpoint, secret } = await createWebhookEndpoint(shop.id, { url: text("url"), topics: form.getAll("topics").map(String) }, actor);
        return { ok: true, message: `Endpoint ${endpoint.url} registered. Copy its signing secret now: it is not shown again.`, secret };
      }
      case "delete":
        await deleteWebhookEndpoint(shop.id, text("id"), actor);
        return { ok: true, message: "Endpoint removed with its delivery log." };
      case "resume":
        await resumeWebhookEndpoint(shop.id, text("id"), actor);
        return { ok: true, message: "Endpoint resumed: what waited for it is sent now." };
      case "resend":
        await resendWebhookDelivery(shop.id, text("id"), actor);
        return { ok: true, message: "The delivery is queued to be sent again (same event id)." };
      default:
        return { ok: false, error: "Unknown action." };
    }
  } catch (error) {
    if (error instanceof AppError && error.type !== "unexpected_state") return { ok: false, error: error.message };
    throw error;
  }
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;
const when = (iso: string | null) => (iso ? new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC" : "—");
const STATUS_TONE: Record<string, "success" | "attention" | "critical" | "info" | undefined> = { sent: "success", pending: "attention", sending: "info", failed: "critical", active: "success", paused: "critical" };

function NewEndpointCard({ topics }: { topics: string[] }) {
  const [url, setUrl] = useState("");
  const [chosen, setChosen] = useState<string[]>(["order.backordered"]);
  const busy = useNavigation().state === "submitting";
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="create" />
        {chosen.map((t) => <input key={t} type="hidden" name="topics" value={t} />)}
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">Add an endpoint</Text>
          <TextField label="URL (https)" name="url" value={url} onChange={setUrl} autoComplete="off" placeholder="https://erp.example.com/hooks/oms" />
          <InlineStack gap="400">
            {topics.map((t) => (
              <Checkbox key={t} label={t} checked={chosen.includes(t)} onChange={(on) => setChosen(on ? [...chosen, t] : chosen.filter((x) => x !== t))} />
            ))}
          </InlineStack>
          <InlineStack>
            <Button submit variant="primary" loading={busy} disabled={chosen.length === 0 || url.trim() === ""}>Register endpoint</Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

function EndpointsCard({ endpoints }: { endpoints: PageData["endpoints"] }) {
  if (endpoints.length === 0) return <Card><Text as="p" tone="subdued">No endpoints yet. Deliveries are signed: X-OMS-Signature: t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;.</Text></Card>;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">Endpoints</Text>
        {endpoints.map((e) => (
          <Box key={e.id} paddingBlockEnd="200">
            <InlineStack gap="300" align="space-between" blockAlign="center">
              <BlockStack gap="100">
                <InlineStack gap="200"><Text as="span" fontWeight="semibold">{e.url}</Text><Badge tone={STATUS_TONE[e.status]}>{e.status}</Badge></InlineStack>
                <Text as="span" tone="subdued">{e.topics.join(", ")} · since {when(e.createdAt)}{e.consecutiveFailures > 0 ? ` · ${e.consecutiveFailures} failed attempts in a row` : ""}</Text>
              </BlockStack>
              <InlineStack gap="200">
                {e.status === "paused" ? (
                  <Form method="post"><input type="hidden" name="intent" value="resume" /><input type="hidden" name="id" value={e.id} /><Button submit>Resume</Button></Form>
                ) : null}
                <Form method="post"><input type="hidden" name="intent" value="delete" /><input type="hidden" name="id" value={e.id} /><Button submit tone="critical" variant="plain">Remove</Button></Form>
              </InlineStack>
            </InlineStack>
          </Box>
        ))}
      </BlockStack>
    </Card>
  );
}

function DeliveriesCard({ deliveries, endpoints }: { deliveries: PageData["deliveries"]; endpoints: PageData["endpoints"] }) {
  const urlOf = new Map(endpoints.map((e) => [e.id, e.url]));
  const rows = deliveries.filter((d) => d.target === "webhook").map((d) => [
    when(d.occurredAt),
    d.topic,
    urlOf.get(d.endpointId ?? "") ?? "—",
    <Badge key="s" tone={STATUS_TONE[d.status]}>{d.status}</Badge>,
    String(d.attempts),
    d.lastStatusCode === null ? (d.lastError ?? "—") : `${d.lastStatusCode}${d.lastError ? ` · ${d.lastError}` : ""}`,
    d.status === "sent" || d.status === "failed" ? (
      <Form key="r" method="post"><input type="hidden" name="intent" value="resend" /><input type="hidden" name="id" value={d.id} /><Button submit variant="plain">Resend</Button></Form>
    ) : d.status === "pending" ? `next ${when(d.nextAttemptAt)}` : "",
  ]);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">Delivery log</Text>
        {rows.length === 0 ? <Text as="p" tone="subdued">Nothing sent yet.</Text> : (
          <DataTable columnContentTypes={["text", "text", "text", "text", "numeric", "text", "text"]} headings={["Event at", "Topic", "Endpoint", "Status", "Attempts", "Last answer", ""]} rows={rows} />
        )}
      </BlockStack>
    </Card>
  );
}

export default function Integrations() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const paused = data.endpoints.filter((e) => e.status === "paused");
  return (
    <Page title="Integrations" subtitle="Outgoing webhooks for ERPs and 3PLs; Shopify Flow triggers and actions are installed with the app.">
      <BlockStack gap="400">
        {paused.map((e) => (
          <Banner key={e.id} tone="critical" title={`Deliveries to ${e.url} are paused`}>
            <p>{e.pausedReason ?? "It kept failing"} (since {when(e.pausedAt)}). Its events wait; fix the receiver, then Resume.</p>
          </Banner>
        ))}
        {result && !result.ok ? <Banner tone="critical">{result.error}</Banner> : null}
        {result && result.ok ? (
          <Banner tone="success" title={result.message}>
            {result.secret ? <Text as="p" fontWeight="semibold"><code>{result.secret}</code></Text> : null}
          </Banner>
        ) : null}
        <NewEndpointCard topics={data.topics} />
        <EndpointsCard endpoints={data.endpoints} />
        <DeliveriesCard deliveries={data.deliveries} endpoints={data.endpoints} />
        <FlowCard />
      </BlockStack>
    </Page>
  );
}

/** What Shopify Flow sees of the app (extensions/flow-*, ADR 0031 and 0037). */
function FlowCard() {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h2" variant="headingMd">Shopify Flow</Text>
        <Text as="p">
          Triggers: Order backordered · Order routed (locations, landed cost) · Order split across locations · Return requested · Return received (with
          disposition) · Pick exception (short pick) · Stock under a channel&apos;s buffer.
        </Text>
        <Text as="p">
          Actions: Re-route order (optionally excluding a location) · Hold order fulfillment · Release order fulfillment · Set channel buffer · Create cycle count.
        </Text>
        <Text as="p" tone="subdued">Build workflows with them in the Shopify Flow app; each trigger is sent once per event, each action run is carried out once.</Text>
      </BlockStack>
    </Card>
  );
}
