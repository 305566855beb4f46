import "@shopify/ui-extensions/preact";
import { useSignal } from "@preact/signals";
import { render } from "preact";
import { useEffect } from "preact/hooks";
import { loadJourney, startReturn, type Journey, type JourneyAnswer, type ReturnAnswer } from "./app-api";

// The order status page of the customer account (customer-account.order-status.block.render, ADR 0028): where the
// order is, as the app-proxy portal tells it — the steps, what is on its way with carrier and tracking links, what
// waits for stock with its expected date — and "Start a return". Nothing of the merchant's locations is sent here.

export default async () => {
  render(<OrderStatusJourney />, document.body);
};

const t = (key: string, options?: Record<string, unknown>) => String(shopify.i18n.translate(key, options as never));
const date = (day: string) => shopify.i18n.formatDate(new Date(`${day}T00:00:00Z`), { timeZone: "UTC", dateStyle: "medium" });

function OrderStatusJourney() {
  const orderGid = shopify.order.value?.id ?? null;
  const answer = useSignal<JourneyAnswer | null>(null);
  const returning = useSignal<ReturnAnswer | "sending" | null>(null);

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
  const onReturn = async () => {
    returning.value = "sending";
    returning.value = await startReturn(shopify.sessionToken, orderGid);
  };
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
        {journey.state !== "cancelled" && <ReturnAction state={returning.value} onReturn={onReturn} />}
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

function ReturnAction({ state, onReturn }: { state: ReturnAnswer | "sending" | null; onReturn: () => void }) {
  if (state !== null && state !== "sending" && state.kind !== "failed" && state.kind !== "session") {
    return (
      <s-banner tone={state.kind === "started" ? "success" : "info"}>
        <s-text>{t(state.kind === "started" ? "return.started" : "return.not_available")}</s-text>
      </s-banner>
    );
  }
  return (
    <s-stack gap="small-200">
      {state !== null && state !== "sending" && (
        <s-banner tone="warning">
          <s-text>{t(state.kind === "session" ? "return.session" : "return.failed")}</s-text>
        </s-banner>
      )}
      <s-button variant="secondary" loading={state === "sending"} onClick={onReturn}>
        {t("return.button")}
      </s-button>
    </s-stack>
  );
}
