import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, Collapsible, DataTable, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { createShopifyDraftOrder } from "~/.server/use-cases/create-shopify-draft-order";
import { getOrderDetail } from "~/.server/use-cases/get-order-detail";
import { setOrderFulfillmentHold } from "~/.server/use-cases/hold-order-fulfillment";
import { HOLD_REASON_MAX } from "~/domain/integrations/fulfillment-hold";
import { ChannelBadge, StatusBadge } from "~/components/channel-badge";
import { OrderTimeline } from "~/components/order-timeline";
import { RoutingExplanation } from "~/components/routing-explanation";
import { EdiDocumentsTable } from "~/components/edi-documents";
import { ShipmentsCard } from "~/components/shipments-card";
import { orderShipmentsView, shipFromAdmin } from "~/.server/use-cases/order-shipments-view";
import { formatMinorUnits } from "~/domain/shared/money";

// One order: its lines and where their units are, what happened to it, and why it was routed as it was.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const detail = await getOrderDetail(shop.id, params.id ?? "");
  if (!detail) throw new Response("Order not found", { status: 404 });
  return { ...detail, shipping: await orderShipmentsView(shop.id, params.id ?? "") };
}

// "Create draft order in Shopify" (again, after Shopify refused): the order stays as it is whatever Shopify answers.
export async function action({ request, params }: ActionFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const form = await readForm(request);
  if (form.get("intent") === "ship") {
    // A shipment of an order we ship ourselves: recorded as POST /api/v1/orders/:id/shipments records it.
    try {
      await shipFromAdmin(shop.id, params.id ?? "", form);
      return { draft: null, shipProblems: [] as string[] };
    } catch (error) {
      if (error instanceof AppError && error.type === "not_found") throw new Response("Order not found", { status: 404 });
      if (error instanceof AppError) return { draft: null, shipProblems: ((error.details as { problems?: string[] } | undefined)?.problems ?? [error.message]) };
      throw error;
    }
  }
  if (form.get("intent") === "hold" || form.get("intent") === "release") {
    // The order's fulfillment hold (ADR 0037), as the Flow actions set it; Shopify's FOs follow (again on a retry).
    // Holding asks why (required, shown on the banner and the timeline, sent to Shopify in the hold's notes).
    const reason = String(form.get("reason") ?? "").trim() || null;
    if (form.get("intent") === "hold" && reason === null) return { draft: null, shipProblems: [] as string[], holdProblem: "Enter a reason for the hold." };
    if (reason !== null && reason.length > HOLD_REASON_MAX) return { draft: null, shipProblems: [] as string[], holdProblem: `The reason is at most ${HOLD_REASON_MAX} characters.` };
    try {
      const outcome = await setOrderFulfillmentHold(shop.id, params.id ?? "", form.get("intent") === "hold" ? { hold: true, reason } : { hold: false }, { actor: "user" });
      return { draft: null, shipProblems: [] as string[], holdProblem: outcome.kind === "refused" ? outcome.problem : null };
    } catch (error) {
      return { draft: null, shipProblems: [] as string[], holdProblem: `Saved here, but Shopify's fulfillment orders were not updated (${(error as Error).message}); do it again to retry.` };
    }
  }
  if (form.get("intent") !== "createShopifyDraft") throw Response.json({ error: { type: "invalid_data", code: "FORM.UNKNOWN_INTENT", message: "Unknown action." } }, { status: 400 });
  try {
    return { draft: await createShopifyDraftOrder(shop, params.id ?? "", { actor: "user" }), shipProblems: [] as string[] };
  } catch (error) {
    if (error instanceof AppError && error.type === "not_found") throw new Response("Order not found", { status: 404 });
    throw error;
  }
}

function allocationText(a: { location: string | null; quantity: number; status: string }) {
  if (a.status === "backordered" || a.location === null) return `${a.quantity} backordered`;
  return `${a.quantity} at ${a.location}${a.status === "reserved" ? "" : ` (${a.status})`}`;
}

export default function OrderPage() {
  const { order, lines, timeline, decisions, shopifyDraft, canCreateShopifyDraft, ediDocuments, shipping, fulfillmentHold } = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const submit = useSubmit();
  const drafting = useNavigation().state === "submitting";
  const createDraft = () => submit({ intent: "createShopifyDraft" }, { method: "post" });
  const [holdOpen, setHoldOpen] = useState(false);
  const [holdReason, setHoldReason] = useState("");
  const holdProblem = acted && "holdProblem" in acted ? acted.holdProblem : null;
  const placeHold = () => {
    if (holdReason.trim() === "") return;
    submit({ intent: "hold", reason: holdReason.trim() }, { method: "post" });
    setHoldOpen(false);
    setHoldReason("");
  };
  const holdable = !["shipped", "delivered", "cancelled", "returned"].includes(order.status);
  const [showEarlier, setShowEarlier] = useState(false);
  const [latest, ...earlier] = decisions;
  const placed = new Date(order.placedAt).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
  return (
    <Page
      fullWidth
      backAction={{ content: "Orders", url: "/app/orders" }}
      title={order.name}
      titleMetadata={
        <InlineStack gap="200">
          <ChannelBadge kind={order.channel} />
          <StatusBadge status={order.status} />
        </InlineStack>
      }
      subtitle={`${order.channelName} · placed ${placed} UTC · ${formatMinorUnits(order.totalMinor, order.currency)} · ship to ${order.destination}${order.promisedBy ? ` · promised by ${order.promisedBy}` : ""}`}
      secondaryActions={[
        ...(canCreateShopifyDraft && shopifyDraft === null ? [{ content: "Create draft order in Shopify", onAction: createDraft, loading: drafting }] : []),
        ...(fulfillmentHold ? [{ content: "Release fulfillment hold", onAction: () => submit({ intent: "release" }, { method: "post" }) }] : holdable ? [{ content: "Hold fulfillment", onAction: () => setHoldOpen(true) }] : []),
      ]}
    >
      <BlockStack gap="400">
        {holdProblem ? <Banner tone="critical" title="Fulfillment hold">{holdProblem}</Banner> : null}
        {holdOpen && !fulfillmentHold ? (
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">Hold fulfillment</Text>
              <TextField
                label="Reason"
                helpText="Required. Shown on this page and the timeline, and in the hold's notes in Shopify."
                value={holdReason}
                onChange={setHoldReason}
                maxLength={HOLD_REASON_MAX}
                autoComplete="off"
                requiredIndicator
                error={holdReason.trim() === "" ? "Enter why the order is held" : undefined}
              />
              <InlineStack gap="200">
                <Button variant="primary" tone="critical" onClick={placeHold} disabled={holdReason.trim() === ""}>Hold fulfillment</Button>
                <Button onClick={() => setHoldOpen(false)}>Cancel</Button>
              </InlineStack>
            </BlockStack>
          </Card>
        ) : null}
        {fulfillmentHold ? (
          <Banner tone="warning" title="Fulfillment on hold">
            <Text as="p">
              Held since {fulfillmentHold.at.slice(0, 16).replace("T", " ")} UTC{fulfillmentHold.reason ? `: ${fulfillmentHold.reason}` : ""}. It is not released into a pick wave, and
              its fulfillment orders in Shopify carry the hold, until it is released (here, or with the Shopify Flow action “Release order fulfillment”).
            </Text>
          </Banner>
        ) : null}
        {shopifyDraft?.status === "created" ? (
          <Banner
            tone="success"
            title={`Draft order ${shopifyDraft.name} created in Shopify`}
            action={shopifyDraft.legacyId ? { content: "Open in Shopify", url: `shopify://admin/draft_orders/${shopifyDraft.legacyId}`, target: "_top" } : undefined}
          />
        ) : null}
        {shopifyDraft?.status === "failed" ? (
          <Banner tone="critical" title="Shopify did not create the draft order" action={canCreateShopifyDraft ? { content: "Try again", onAction: createDraft, loading: drafting } : undefined}>
            <Text as="p">{shopifyDraft.message}</Text>
            <Text as="p">The order itself is saved: its stock stays reserved and it is routed as usual.</Text>
          </Banner>
        ) : null}
        {acted?.draft?.kind === "exists" ? <Banner tone="info">A draft order for this order is already being made in Shopify.</Banner> : null}
        <Layout>
          <Layout.Section>
            <Card padding="0">
              <DataTable
                columnContentTypes={["text", "text", "numeric", "text"]}
                headings={["SKU", "Item", "Qty", "Allocation"]}
                rows={lines.map((l) => [
                  l.sku ?? "—",
                  l.title,
                  l.quantity,
                  l.allocations.length === 0 ? (
                    <Text as="span" tone="subdued">
                      not allocated
                    </Text>
                  ) : (
                    <InlineStack gap="100">
                      {l.allocations.map((a, i) => (
                        <Badge key={i} tone={a.status === "backordered" ? "warning" : a.status === "fulfilled" ? "success" : "info"}>
                          {allocationText(a)}
                        </Badge>
                      ))}
                    </InlineStack>
                  ),
                ])}
              />
            </Card>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <OrderTimeline entries={timeline} />
          </Layout.Section>
        </Layout>
        <ShipmentsCard key={shipping.shipments.length} shipments={shipping.shipments} form={shipping.form} problems={acted?.shipProblems ?? []} submitting={drafting} onShip={(fields) => submit(fields, { method: "post" })} />
        {ediDocuments.length > 0 ? (
          <Card>
            <BlockStack gap="300">
              <Text as="h3" variant="headingMd">
                EDI documents
              </Text>
              <EdiDocumentsTable documents={ediDocuments} />
            </BlockStack>
          </Card>
        ) : null}
        {latest ? (
          <RoutingExplanation decision={latest} currency={order.currency} current />
        ) : (
          <Card>
            <Text as="p" tone="subdued">
              This order has not been routed.
            </Text>
          </Card>
        )}
        {earlier.length > 0 ? (
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h3" variant="headingMd">
                  {`Earlier decisions (${earlier.length})`}
                </Text>
                <Button onClick={() => setShowEarlier((v) => !v)} disclosure={showEarlier ? "up" : "down"} ariaExpanded={showEarlier} ariaControls="earlier-decisions">
                  {showEarlier ? "Hide" : "Show"}
                </Button>
              </InlineStack>
              <Collapsible id="earlier-decisions" open={showEarlier}>
                <BlockStack gap="400">
                  {earlier.map((d) => (
                    <RoutingExplanation key={d.id} decision={d} currency={order.currency} current={false} />
                  ))}
                </BlockStack>
              </Collapsible>
            </BlockStack>
          </Card>
        ) : null}
      </BlockStack>
    </Page>
  );
}
