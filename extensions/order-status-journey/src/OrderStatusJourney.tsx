import "@shopify/ui-extensions/preact";
import { useSignal } from "@preact/signals";
import { render } from "preact";
import { useEffect } from "preact/hooks";
import { loadJourney, loadReturnOptions, startReturn, type Journey, type JourneyAnswer, type OptionsAnswer, type ReturnAnswer, type ReturnChoice, type ReturnOptions } from "./app-api";

// The order status page of the customer account (customer-account.order-status.block.render, ADR 0028): where the
// order is, as the app-proxy portal tells it — the steps, what is on its way with carrier and tracking links, what
// waits for stock with its expected date — and "Start a return" (ADR 0036): the lines that can come back with a
// quantity and a reason each; the answer is the RMA with its status and prepaid label. Nothing of the merchant's
// locations is sent here.

export default async () => {
  render(<OrderStatusJourney />, document.body);
};

const t = (key: string, options?: Record<string, unknown>) => String(shopify.i18n.translate(key, options as never));
const date = (day: string) => shopify.i18n.formatDate(new Date(`${day}T00:00:00Z`), { timeZone: "UTC", dateStyle: "medium" });

function OrderStatusJourney() {
  const orderGid = shopify.order.value?.id ?? null;
  const answer = useSignal<JourneyAnswer | null>(null);

  useEffect(() => {
    if (!orderGid) return;
    let live = true;
    void loadJourney(shopify.sessionToken, orderGid).then((a) => {
      if (live) answer.value = a;
    });
    return () => {
      live = false;
    };
  }, [orderGid]);

  // An order the app does not follow (no order, or placed before the app was installed): nothing to show.
  if (!orderGid || answer.value?.kind === "not_found") return null;
  if (answer.value === null) {
    return (
      <s-section heading={t("title")}>
        <s-spinner accessibilityLabel={t("loading")} />
      </s-section>
    );
  }
  if (answer.value.kind === "failed") {
    return (
      <s-section heading={t("title")}>
        <s-banner tone="warning">
          <s-text>{t("error.load")}</s-text>
        </s-banner>
      </s-section>
    );
  }

  const journey = answer.value.journey;
  return (
    <s-section heading={t("title")}>
      <s-stack gap="base">
        <s-text type="strong">{headline(journey)}</s-text>
        <Steps journey={journey} />
        {journey.shipments.length > 0 && <Shipments journey={journey} />}
        {journey.backorder && (
          <s-stack gap="small-200">
            <s-heading>{t("backorder.heading")}</s-heading>
            <s-text>
              {journey.backorder.expectedOn
                ? t("backorder.expected", { count: journey.backorder.units, date: date(journey.backorder.expectedOn) })
                : t("backorder.unknown", { count: journey.backorder.units })}
            </s-text>
          </s-stack>
        )}
        {journey.state !== "cancelled" && <ReturnAction orderGid={orderGid} />}
      </s-stack>
    </s-section>
  );
}

function headline(j: Journey): string {
  return t(`state.${j.state}`, { shipped: j.units.shipped, ordered: j.units.ordered });
}

function Steps({ journey }: { journey: Journey }) {
  return (
    <s-stack direction="inline" gap="small-200" accessibilityRole="ordered-list">
      {journey.steps.map((step) => (
        <s-stack key={step.key} accessibilityRole="list-item" direction="inline" gap="small-400">
          <s-badge tone={step.done ? "auto" : "neutral"} icon={step.done ? "check-circle" : undefined}>
            {t(`step.${step.key}`)}
          </s-badge>
          <s-text accessibilityVisibility="exclusive">{t(step.done ? "step_status.done" : "step_status.pending")}</s-text>
        </s-stack>
      ))}
    </s-stack>
  );
}

function Shipments({ journey }: { journey: Journey }) {
  return (
    <s-stack gap="small-200">
      <s-heading>{t("shipments.heading")}</s-heading>
      {journey.shipments.map((s, i) => (
        <s-stack key={i} gap="small-400">
          <s-text>
            {t(s.shippedOn ? "shipments.shipped_on" : "shipments.shipped", { count: s.units, carrier: s.carrier ?? t("shipments.carrier_unknown"), date: s.shippedOn ? date(s.shippedOn) : "" })}
          </s-text>
          {s.tracking.map((tr) =>
            tr.url ? (
              <s-link key={tr.number} href={tr.url} target="_blank">
                {t("shipments.track", { number: tr.number })}
              </s-link>
            ) : (
              <s-text key={tr.number}>{t("shipments.tracking_number", { number: tr.number })}</s-text>
            ),
          )}
        </s-stack>
      ))}
    </s-stack>
  );
}

const STATUSES = ["requested", "approved", "declined", "in_transit", "received", "inspected", "refunded", "exchanged", "closed"];
/** The value an s-select changed to. */
const selected = (e: Event) => String((e.currentTarget as { value?: unknown } | null)?.value ?? "");
/** The default policy's reasons are worded here in the customer's language; a shop's own reasons as the app words them. */
const KNOWN_REASONS = ["wrong_size", "not_as_described", "damaged", "changed_mind", "other"];
const statusText = (status: string) => t(STATUSES.includes(status) ? `return.status.${status}` : "return.status.requested");

/** "Start a return": loads what can come back, lets the customer pick lines, quantities and reasons, sends it. */
function ReturnAction({ orderGid }: { orderGid: string }) {
  const options = useSignal<OptionsAnswer | "loading" | null>(null);
  const picked = useSignal<Record<string, { quantity: number; reason: string }>>({});
  const sent = useSignal<ReturnAnswer | "sending" | null>(null);

  const open = async () => {
    options.value = "loading";
    options.value = await loadReturnOptions(shopify.sessionToken, orderGid);
  };
  const send = async (o: ReturnOptions) => {
    const lines: ReturnChoice[] = o.lines
      .map((l) => ({ lineItemId: l.lineItemId, quantity: picked.value[l.lineItemId]?.quantity ?? 0, reason: picked.value[l.lineItemId]?.reason ?? o.reasons[0]?.code ?? "" }))
      .filter((l) => l.quantity > 0);
    if (lines.length === 0) {
      sent.value = { kind: "refused", message: t("return.pick_one") };
      return;
    }
    sent.value = "sending";
    sent.value = await startReturn(shopify.sessionToken, orderGid, lines);
  };

  const result = sent.value;
  if (result !== null && result !== "sending" && result.kind === "started") {
    return (
      <s-banner tone="success" heading={t("return.started", { number: result.rma.number })}>
        <s-stack gap="small-200">
          <s-text>{statusText(result.rma.status)}</s-text>
          {result.rma.labelUrl ? (
            <s-link href={result.rma.labelUrl} target="_blank">
              {t("return.label")}
            </s-link>
          ) : (
            <s-text>{t("return.label_later")}</s-text>
          )}
        </s-stack>
      </s-banner>
    );
  }

  const o = options.value;
  if (o === null || o === "loading") {
    return (
      <s-button variant="secondary" loading={o === "loading"} onClick={open}>
        {t("return.button")}
      </s-button>
    );
  }
  if (o.kind !== "found") {
    return (
      <s-banner tone="warning">
        <s-text>{t(o.kind === "session" ? "return.session" : "return.failed")}</s-text>
      </s-banner>
    );
  }
  const returnable = o.options.lines.filter((l) => l.returnable > 0);
  return (
    <s-stack gap="base">
      <s-heading>{t("return.heading")}</s-heading>
      {o.options.returns.map((r) => (
        <s-stack key={r.number} direction="inline" gap="small-200">
          <s-text type="strong">{r.number}</s-text>
          <s-text>{statusText(r.status)}</s-text>
          {r.labelUrl && (
            <s-link href={r.labelUrl} target="_blank">
              {t("return.label")}
            </s-link>
          )}
        </s-stack>
      ))}
      {returnable.length === 0 ? (
        <s-text>{t("return.nothing")}</s-text>
      ) : (
        <s-stack gap="base">
          {returnable.map((l) => {
            const choice = picked.value[l.lineItemId] ?? { quantity: 0, reason: o.options.reasons[0]?.code ?? "" };
            const set = (next: Partial<typeof choice>) => {
              picked.value = { ...picked.value, [l.lineItemId]: { ...choice, ...next } };
            };
            return (
              <s-stack key={l.lineItemId} gap="small-200">
                <s-text type="strong">{l.title}</s-text>
                <s-stack direction="inline" gap="base">
                  <s-select label={t("return.quantity")} value={String(choice.quantity)} onChange={(e) => set({ quantity: Number(selected(e)) })}>
                    {Array.from({ length: Math.min(l.returnable, 99) + 1 }, (_, n) => (
                      <s-option key={n} value={String(n)}>
                        {String(n)}
                      </s-option>
                    ))}
                  </s-select>
                  <s-select label={t("return.reason")} value={choice.reason} onChange={(e) => set({ reason: selected(e) })}>
                    {o.options.reasons.map((r) => (
                      <s-option key={r.code} value={r.code}>
                        {KNOWN_REASONS.includes(r.code) ? t(`return.reasons.${r.code}`) : r.label}
                      </s-option>
                    ))}
                  </s-select>
                </s-stack>
              </s-stack>
            );
          })}
          {result !== null && result !== "sending" && (
            <s-banner tone="warning">
              <s-text>{result.kind === "refused" ? result.message || t("return.failed") : t(result.kind === "session" ? "return.session" : "return.failed")}</s-text>
            </s-banner>
          )}
          <s-button variant="primary" loading={result === "sending"} onClick={() => void send(o.options)}>
            {t("return.submit")}
          </s-button>
        </s-stack>
      )}
    </s-stack>
  );
}
