import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, FormLayout, InlineStack, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { optInCustomer, optOutCustomer, readNotificationsPage, resetTemplate, retryNotification, saveTemplate, updateNotificationSettings } from "~/.server/use-cases/manage-notifications";
import { ESSENTIAL, KIND_LABELS, KIND_VARIABLES, isKind, type Language } from "~/domain/notifications/kinds";
import { sampleValues } from "~/domain/notifications/plan";
import { renderTemplate } from "~/domain/notifications/render";

// Customer notifications (ADR 0024): recent e-mails and their state, the settings, each template with a live preview
// rendered by the same renderer the sender uses, and the customers who opted out of non-essential e-mails.

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  return { shopName: shop.name, ...(await readNotificationsPage(shop.id)) };
}

type ActionResult = { ok: true; message: string } | { ok: false; error: string };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await requireAdminShop(request);
  const form = await readForm(request);
  const field = (name: string) => form.get(name) ?? undefined;
  try {
    switch (form.get("intent")) {
      case "settings":
        await updateNotificationSettings(shop.id, { confirmationEnabled: field("confirmationEnabled"), language: field("language") });
        return { ok: true, message: "Settings saved." };
      case "saveTemplate":
        await saveTemplate(shop.id, { kind: field("kind"), language: field("language"), subject: field("subject"), body: field("body") });
        return { ok: true, message: "Template saved: new messages use it." };
      case "resetTemplate":
        await resetTemplate(shop.id, field("kind"), field("language"));
        return { ok: true, message: "Template back to the default." };
      case "optOut":
        await optOutCustomer(shop.id, field("email"));
        return { ok: true, message: "Opted out: this customer gets only essential notices (backorders, shipments)." };
      case "optIn":
        await optInCustomer(shop.id, field("email"));
        return { ok: true, message: "Opt-out removed." };
      case "retry":
        await retryNotification(shop.id, field("id"));
        return { ok: true, message: "The message is queued to be sent again." };
      default:
        return { ok: false, error: "Unknown action." };
    }
  } catch (error) {
    if (error instanceof AppError && (error.type === "invalid_data" || error.type === "not_found")) return { ok: false, error: error.message };
    throw error;
  }
}

type PageData = ReturnType<typeof useLoaderData<typeof loader>>;

const when = (iso: string | null) => (iso ? new Date(iso).toISOString().slice(0, 16).replace("T", " ") + " UTC" : "—");
const STATUS_TONE: Record<string, "success" | "attention" | "critical" | "info" | undefined> = { sent: "success", pending: "attention", sending: "info", failed: "critical" };
const LANGUAGE_LABEL: Record<string, string> = { en: "English", es: "Español" };

function SettingsCard({ settings }: { settings: PageData["settings"] }) {
  const [confirmation, setConfirmation] = useState(settings.confirmationEnabled ? "on" : "off");
  const [language, setLanguage] = useState<string>(settings.language);
  const busy = useNavigation().state === "submitting";
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="settings" />
        <BlockStack gap="300">
          <Text as="h2" variant="headingMd">Settings</Text>
          <FormLayout>
            <FormLayout.Group>
              <Select label="Order confirmation" name="confirmationEnabled" value={confirmation} onChange={setConfirmation}
                options={[{ label: "Off (Shopify sends its own)", value: "off" }, { label: "On", value: "on" }]}
                helpText="Turn on when Shopify's own confirmation is off, or for orders from other channels." />
              <Select label="Language of customer e-mails" name="language" value={language} onChange={setLanguage} options={Object.entries(LANGUAGE_LABEL).map(([value, label]) => ({ value, label }))} />
            </FormLayout.Group>
          </FormLayout>
          <InlineStack>
            <Button submit loading={busy}>Save settings</Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}

function RecentCard({ recent, counts }: { recent: PageData["recent"]; counts: PageData["counts"] }) {
  const busy = useNavigation().state === "submitting";
  const rows = recent.map((m) => [
    when(m.createdAt),
    isKind(m.kind) ? KIND_LABELS[m.kind] : m.kind,
    m.recipient,
    m.subject,
    <BlockStack key="s" gap="100">
      <Badge tone={STATUS_TONE[m.status]}>{m.status}</Badge>
      <Text as="span" tone="subdued" variant="bodySm">
        {m.status === "sent" ? `sent ${when(m.sentAt)}` : m.status === "pending" && m.attempts > 0 ? `${m.attempts} attempt(s); next ${when(m.nextAttemptAt)}` : `${m.attempts} attempt(s)`}
      </Text>
      {m.lastError ? <Text as="span" tone="critical" variant="bodySm">{m.lastError}</Text> : null}
    </BlockStack>,
    m.status === "failed" ? (
      <Form key="r" method="post">
        <input type="hidden" name="intent" value="retry" />
        <input type="hidden" name="id" value={m.id} />
        <Button submit variant="plain" loading={busy}>Retry</Button>
      </Form>
    ) : "",
  ]);
  const summary = ["pending", "sending", "sent", "failed"].map((s) => `${counts[s] ?? 0} ${s}`).join(" · ");
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">Recent messages</Text>
        <Text as="p" tone="subdued">{summary}</Text>
        {rows.length ? (
          <DataTable columnContentTypes={["text", "text", "text", "text", "text", "text"]} headings={["Created", "Notice", "To", "Subject", "Status", ""]} rows={rows} />
        ) : (
          <Text as="p">No messages yet. Backorders, split shipments and shipments recorded here (and confirmations, when on) appear within a minute.</Text>
        )}
      </BlockStack>
    </Card>
  );
}

function TemplatesCard({ templates, shopName }: { templates: PageData["templates"]; shopName: string }) {
  const [selected, setSelected] = useState(`${templates[0].kind}:${templates[0].language}`);
  const current = templates.find((t) => `${t.kind}:${t.language}` === selected) ?? templates[0];
  const [subject, setSubject] = useState(current.subject);
  const [body, setBody] = useState(current.body);
  useEffect(() => {
    setSubject(current.subject);
    setBody(current.body);
  }, [current.subject, current.body, selected]);
  const busy = useNavigation().state === "submitting";
  const kind = isKind(current.kind) ? current.kind : "order_confirmation";
  const preview = useMemo(() => renderTemplate(kind, { subject, body }, sampleValues(current.language as Language, shopName)), [kind, subject, body, current.language, shopName]);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">Templates</Text>
        <Select label="Template" value={selected} onChange={setSelected}
          options={templates.map((t) => ({ value: `${t.kind}:${t.language}`, label: `${t.label} — ${LANGUAGE_LABEL[t.language] ?? t.language}${t.custom ? " (edited)" : ""}${ESSENTIAL[t.kind as keyof typeof ESSENTIAL] ? " · essential" : ""}` }))} />
        <Form method="post">
          <input type="hidden" name="intent" value="saveTemplate" />
          <input type="hidden" name="kind" value={current.kind} />
          <input type="hidden" name="language" value={current.language} />
          <BlockStack gap="300">
            <TextField label="Subject" name="subject" value={subject} onChange={setSubject} autoComplete="off" maxLength={200} />
            <TextField label="Body" name="body" value={body} onChange={setBody} autoComplete="off" multiline={8} maxLength={5000}
              helpText={`Variables: ${KIND_VARIABLES[kind].map((v) => `{{${v.name}}} (${v.description})`).join("; ")}. A blank line starts a paragraph.`} />
            <InlineStack>
              <Button submit variant="primary" loading={busy} disabled={!preview.ok}>Save template</Button>
            </InlineStack>
          </BlockStack>
        </Form>
        {current.custom ? (
          <Form method="post">
            <input type="hidden" name="intent" value="resetTemplate" />
            <input type="hidden" name="kind" value={current.kind} />
            <input type="hidden" name="language" value={current.language} />
            <Button submit loading={busy}>Reset to default</Button>
          </Form>
        ) : null}
        <Text as="h3" variant="headingSm">Preview</Text>
        {preview.ok ? (
          <BlockStack gap="200">
            <Text as="p"><Text as="span" fontWeight="semibold">Subject:</Text> {preview.message.subject}</Text>
            <Box borderColor="border" borderWidth="025" borderRadius="200">
              <iframe title="Preview of the e-mail" sandbox="" srcDoc={preview.message.html} style={{ width: "100%", minHeight: 220, border: 0 }} />
            </Box>
          </BlockStack>
        ) : (
          <Banner tone="critical" title="This template cannot be used">
            <ul>{preview.problems.map((p) => <li key={p}>{p}</li>)}</ul>
          </Banner>
        )}
      </BlockStack>
    </Card>
  );
}

function OptOutsCard({ optOuts }: { optOuts: PageData["optOuts"] }) {
  const [email, setEmail] = useState("");
  const busy = useNavigation().state === "submitting";
  const rows = optOuts.map((o) => [
    o.email,
    when(o.createdAt),
    <Form key="x" method="post">
      <input type="hidden" name="intent" value="optIn" />
      <input type="hidden" name="email" value={o.email} />
      <Button submit variant="plain" loading={busy}>Remove</Button>
    </Form>,
  ]);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">Opted out</Text>
        <Text as="p" tone="subdued">These customers get no order confirmations or split-shipment notices; backorder and shipping notices still go (they are about their order).</Text>
        {rows.length ? <DataTable columnContentTypes={["text", "text", "text"]} headings={["E-mail", "Since", ""]} rows={rows} /> : <Text as="p">Nobody has opted out.</Text>}
        <Form method="post">
          <input type="hidden" name="intent" value="optOut" />
          <InlineStack gap="200" blockAlign="end">
            <TextField label="Customer e-mail" name="email" type="email" value={email} onChange={setEmail} autoComplete="off" />
            <Button submit loading={busy}>Opt out</Button>
          </InlineStack>
        </Form>
      </BlockStack>
    </Card>
  );
}

export default function Notifications() {
  const { shopName, sendingOn, settings, counts, recent, templates, optOuts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <Page title="Notifications" subtitle="E-mails to customers about their orders: backorders, split shipments, shipments we record, and confirmations when on">
      <BlockStack gap="400">
        {sendingOn ? null : (
          <Banner tone="warning" title="Sending is off">
            No SMTP server is configured (SMTP_URL): messages are prepared and wait as pending until one is.
          </Banner>
        )}
        {result?.ok === false ? <Banner tone="critical">{result.error}</Banner> : null}
        {result?.ok ? <Banner tone="success">{result.message}</Banner> : null}
        <SettingsCard settings={settings} />
        <RecentCard recent={recent} counts={counts} />
        <TemplatesCard templates={templates} shopName={shopName} />
        <OptOutsCard optOuts={optOuts} />
      </BlockStack>
    </Page>
  );
}
