import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Link, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { changeReturn } from "~/.server/use-cases/change-return";
import { getReturn } from "~/.server/use-cases/read-returns";
import { returnActionFromForm } from "~/.server/use-cases/return-queue";
import { downloadFile } from "~/components/import-results";
import { ReturnStatusBadge } from "~/components/return-status-badge";
import { canTransition, type ReturnAction, type ReturnStatus } from "~/domain/returns/status";

// One RMA (issue 14, ADR 0035): its lines with what happened to them, the label, the timeline (the audit trail's
// return.* events) and what the merchant and the warehouse do next: Approve, Decline (with a reason), Mark in transit,
// Receive (per line a quantity and a disposition), Release (QC-held units), Refund, Close. Every button posts this
// page's form to changeReturn; a refusal changes nothing and shows why in a banner.

async function load(shopId: string, number: string) {
  try {
    return await getReturn(shopId, number);
  } catch (error) {
    if (error instanceof AppError && error.type === "not_found") throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  return { rma: await load(shop.id, String(params.rma ?? "")) };
}

type ActionResult = { ok: true; message: string } | { ok: false; error: string };

const DONE: Record<ReturnAction["type"], string> = {
  approve: "approved", decline: "declined", mark_in_transit: "marked in transit", receive: "received", release: "released from QC hold", refund: "refunded", close: "closed",
};

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await requireAdminShop(request);
  const form = await readForm(request);
  const rma = await load(shop.id, String(params.rma ?? ""));
  const parsed = returnActionFromForm(form, rma.lines);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  const result = await changeReturn(shop.id, rma.number, parsed.action, { actor: "admin" });
  if (!result.ok) return { ok: false, error: result.error };
  const verb = parsed.action.type === "refund" && result.rma.status === "exchanged" ? "completed as an exchange" : DONE[parsed.action.type];
  return { ok: true, message: `Return ${result.rma.number} ${verb}.` };
}

type Rma = ReturnType<typeof useLoaderData<typeof loader>>["rma"];

const DISPOSITIONS = [
  { label: "Restock", value: "restock" },
  { label: "QC hold", value: "qc_hold" },
  { label: "Refurbish", value: "refurbish" },
  { label: "Scrap", value: "scrap" },
];
const words = (s: string | null) => (s ? s.replace(/_/g, " ") : "—");
const when = (at: string) => new Date(at).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const allowed = (rma: Rma, type: ReturnAction["type"]) => canTransition({ status: rma.status as ReturnStatus, lines: [] }, type).ok;

function Intent({ value }: { value: string }) {
  return <input type="hidden" name="intent" value={value} />;
}

function DeclineForm({ busy }: { busy: boolean }) {
  const [reason, setReason] = useState("");
  return (
    <Form method="post">
      <Intent value="decline" />
      <InlineStack gap="200" blockAlign="end">
        <TextField label="Decline reason" name="reason" value={reason} onChange={setReason} autoComplete="off" placeholder="Why the return is declined (the customer sees it)" />
        <Button submit tone="critical" disabled={busy}>
          Decline
        </Button>
      </InlineStack>
    </Form>
  );
}

function CloseForm({ busy }: { busy: boolean }) {
  const [reason, setReason] = useState("");
  return (
    <Form method="post">
      <Intent value="close" />
      <InlineStack gap="200" blockAlign="end">
        <TextField label="Close reason" name="reason" value={reason} onChange={setReason} autoComplete="off" placeholder="Optional, e.g. store credit given" />
        <Button submit disabled={busy}>
          Close
        </Button>
      </InlineStack>
    </Form>
  );
}

function LineInputs({ line, quantityName, dispositionName, max, options }: { line: Rma["lines"][number]; quantityName: string; dispositionName: string; max: number; options: typeof DISPOSITIONS }) {
  const [quantity, setQuantity] = useState(String(max));
  const [disposition, setDisposition] = useState("restock");
  const label = line.sku ?? line.title;
  return (
    <InlineStack gap="200" blockAlign="end">
      <TextField label={`Quantity of ${label}`} name={quantityName} type="number" min={0} max={max} value={quantity} onChange={setQuantity} autoComplete="off" />
      <Select label={`Disposition of ${label}`} name={dispositionName} options={options} value={disposition} onChange={setDisposition} />
    </InlineStack>
  );
}

function ReceiveForm({ rma, busy }: { rma: Rma; busy: boolean }) {
  return (
    <Form method="post">
      <Intent value="receive" />
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          Receive at {rma.receivingLocation?.name ?? "(no receiving location)"}
        </Text>
        {rma.lines.map((l) => (
          <LineInputs key={l.id} line={l} quantityName={`qty:${l.id}`} dispositionName={`disposition:${l.id}`} max={l.quantity} options={DISPOSITIONS} />
        ))}
        <InlineStack>
          <Button submit variant="primary" disabled={busy}>
            Receive
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

function ReleaseForm({ rma, busy }: { rma: Rma; busy: boolean }) {
  const held = rma.lines.filter((l) => l.held > 0);
  return (
    <Form method="post">
      <Intent value="release" />
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          Release units on QC hold
        </Text>
        {held.map((l) => (
          <LineInputs key={`${l.id}:${l.held}`} line={l} quantityName={`releaseQty:${l.id}`} dispositionName={`releaseDisposition:${l.id}`} max={l.held} options={DISPOSITIONS.filter((d) => d.value !== "qc_hold")} />
        ))}
        <InlineStack>
          <Button submit variant="primary" disabled={busy}>
            Release
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

function Simple({ intent, label, busy, primary }: { intent: string; label: string; busy: boolean; primary?: boolean }) {
  return (
    <Form method="post">
      <Intent value={intent} />
      <Button submit variant={primary ? "primary" : undefined} disabled={busy}>
        {label}
      </Button>
    </Form>
  );
}

function eventText(e: Rma["timeline"][number]): string {
  const d = e.data as { reason?: string; from?: string; to?: string; lines?: { quantity: number; disposition: string }[]; error?: string; trackingNumber?: string; shopifyStatus?: string };
  const name = e.action.replace(/^return\./, "").replace(/_/g, " ");
  const parts = [name.charAt(0).toUpperCase() + name.slice(1)];
  if (d.reason) parts.push(`— ${d.reason}`);
  if (d.lines) parts.push(`— ${d.lines.filter((l) => l.quantity > 0).map((l) => `${l.quantity} ${words(l.disposition)}`).join(", ")}`);
  if (d.trackingNumber) parts.push(`— tracking ${d.trackingNumber}`);
  if (d.shopifyStatus) parts.push(`(Shopify: ${d.shopifyStatus})`);
  if (d.error) parts.push(`— ${d.error}`);
  return parts.join(" ");
}

export default function ReturnPage() {
  const { rma } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const anyHeld = rma.lines.some((l) => l.held > 0);
  const actions = [
    allowed(rma, "approve") ? <Simple key="approve" intent="approve" label="Approve" busy={busy} primary /> : null,
    allowed(rma, "decline") ? <DeclineForm key="decline" busy={busy} /> : null,
    allowed(rma, "mark_in_transit") ? <Simple key="transit" intent="in_transit" label="Mark in transit" busy={busy} /> : null,
    allowed(rma, "receive") ? <ReceiveForm key="receive" rma={rma} busy={busy} /> : null,
    allowed(rma, "release") && anyHeld ? <ReleaseForm key="release" rma={rma} busy={busy} /> : null,
    allowed(rma, "refund") ? <Simple key="refund" intent="refund" label="Refund" busy={busy} primary /> : null,
    allowed(rma, "close") ? <CloseForm key="close" busy={busy} /> : null,
  ].filter(Boolean);

  return (
    <Page title={`Return ${rma.number}`} titleMetadata={<ReturnStatusBadge status={rma.status} />} subtitle={`Order ${rma.orderName} · ${words(rma.source)}`} backAction={{ content: "Returns", url: "/app/returns" }}>
      <Layout>
        {result ? (
          <Layout.Section>
            {result.ok ? (
              <Banner tone="success" title={result.message} />
            ) : (
              <Banner tone="critical" title="Nothing was changed">
                <p>{result.error}</p>
              </Banner>
            )}
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Lines
              </Text>
              <DataTable
                columnContentTypes={["text", "text", "numeric", "text", "text", "text", "numeric", "text", "numeric", "numeric"]}
                headings={["SKU", "Item", "Qty", "Reason", "Condition", "Exchange for", "Received", "Disposition", "Held", "Restocked"]}
                rows={rma.lines.map((l) => [l.sku ?? "—", l.title, l.quantity, words(l.reason), words(l.condition), l.replacementSku ?? "—", l.received, words(l.disposition), l.held, l.restocked])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <Text as="h2" variant="headingMd">
                Actions
              </Text>
              {actions.length === 0 ? (
                <Text as="p" tone="subdued">
                  This return is {words(rma.status)}: nothing more to do.
                </Text>
              ) : (
                actions
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Details
                </Text>
                <Text as="p">
                  Order: <Link url={`/app/orders/${rma.orderId}`}>{rma.orderName}</Link>
                </Text>
                <Text as="p">Receiving at: {rma.receivingLocation ? rma.receivingLocation.name : "—"}</Text>
                {rma.receivingLocation?.reason ? (
                  <Text as="p" tone="subdued" variant="bodySm">
                    {rma.receivingLocation.reason}
                  </Text>
                ) : null}
                {rma.label ? (
                  <BlockStack gap="100">
                    <Text as="p">
                      Label: {rma.label.carrier} · tracking {rma.label.trackingNumber}
                    </Text>
                    <InlineStack>
                      <Button variant="plain" onClick={() => downloadFile(rma.label!.url, `return-label-${rma.number}.pdf`)}>
                        Download label (PDF)
                      </Button>
                    </InlineStack>
                  </BlockStack>
                ) : (
                  <Text as="p">Label: not issued yet</Text>
                )}
                {rma.exchange ? <Text as="p">Exchange: replacement {rma.exchange.replacementOrderId ? "reserved" : "not reserved"}{rma.exchange.holdUntil ? ` until ${when(rma.exchange.holdUntil)}` : ""}</Text> : null}
                <Text as="p">
                  Shopify: {rma.shopify.sync}
                  {rma.shopify.error ? ` — ${rma.shopify.error}` : ""}
                </Text>
                {rma.note ? <Text as="p">Note: {rma.note}</Text> : null}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Timeline
                </Text>
                {rma.timeline.map((e, i) => (
                  <BlockStack key={`${e.at}-${i}`} gap="050">
                    <Text as="p">{eventText(e)}</Text>
                    <Text as="p" tone="subdued" variant="bodySm">
                      {when(e.at)} · {e.actor}
                    </Text>
                  </BlockStack>
                ))}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
