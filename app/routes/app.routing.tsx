import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, Layout, List, Page, Text, TextField } from "@shopify/polaris";
import { useMemo, useState } from "react";
import { z } from "zod";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { audit } from "~/.server/db/audit";
import { listLocations } from "~/.server/db/catalog";
import { database } from "~/.server/db/database";
import { activateDraft, getActive, getDraft, saveDraft } from "~/.server/db/routing-rules";
import { enqueueStockPricePlanningNow } from "~/.server/jobs/queue";
import { stockPricePlanStatus } from "~/.server/use-cases/read-stock-prices";
import { simulateRouting, validateDraftPolicy, type PolicyIssue } from "~/.server/use-cases/simulate-routing";
import { fromDraft, issueLabel, toDraft, type PolicyDraft } from "~/components/policy-draft";
import { PromiseEditor } from "~/components/promise-editor";
import { RateTableEditor } from "~/components/rate-table-editor";
import { RuleListEditor } from "~/components/rule-list-editor";
import { SimulationResults, type SimulationView } from "~/components/simulation-results";
import { defaultPolicy, type RoutingPolicy } from "~/domain/routing-policy/policy";
import { DEFAULT_SIMULATION_ORDERS, MAX_SIMULATION_ORDERS } from "~/domain/routing-policy/simulate";

// The shop's routing policy: edit the rule list, rate table and delivery promise as a draft, simulate it
// against the live policy on recent orders, save it, activate it (live routing reads the active set via
// `loadPolicy`). Also: the daily stock price plan that live routing ranks with, and a button to re-plan.

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const q = database();
  const [active, draft, locations, stockPlan] = await Promise.all([getActive(q, shop.id), getDraft(q, shop.id), listLocations(q, shop.id), stockPricePlanStatus(shop.id)]);
  const editing: { source: "draft" | "active" | "default"; policy: RoutingPolicy } = draft?.policy
    ? { source: "draft", policy: draft.policy }
    : active?.policy
      ? { source: "active", policy: active.policy }
      : { source: "default", policy: defaultPolicy() };
  return {
    currency: shop.currency,
    locations: locations.map((l) => ({ id: l.id, name: l.active ? l.name : `${l.name} (inactive)` })),
    editing,
    active: active ? { id: active.id, activatedAt: active.activatedAt, error: active.error, policy: active.policy } : null,
    draftError: draft?.error ?? null,
    defaultPolicy: defaultPolicy(),
    simulation: { defaultOrders: DEFAULT_SIMULATION_ORDERS, maxOrders: MAX_SIMULATION_ORDERS },
    stockPlan,
  };
}

const form = z.object({
  intent: z.enum(["save", "activate", "simulate", "plan_stock_prices"]),
  policy: z.string().max(1_000_000).default(""),
  orders: z.coerce.number().int().min(1).max(MAX_SIMULATION_ORDERS).optional(),
});

type ActionResult = { intent: string; ok: false; error: string; issues: PolicyIssue[] } | { intent: string; ok: true; message: string | null; simulation: SimulationView | null };

export async function action({ request }: ActionFunctionArgs): Promise<ActionResult> {
  const { shop } = await requireAdminShop(request);
  const parsedForm = form.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsedForm.success) {
    const issues = parsedForm.error.issues.map((i) => ({ path: `form.${i.path.join(".")}`, message: i.message }));
    return { intent: "unknown", ok: false, error: issues.map((i) => `${i.path}: ${i.message}`).join("; "), issues };
  }
  const { intent, orders } = parsedForm.data;
  if (intent === "plan_stock_prices") {
    await enqueueStockPricePlanningNow(shop.domain);
    return { intent, ok: true, message: "Planning stock prices from recent orders: live routing uses them as soon as the job has run (reload to see it).", simulation: null };
  }
  let input: unknown;
  try {
    input = JSON.parse(parsedForm.data.policy);
  } catch {
    return { intent, ok: false, error: "The policy is not valid JSON.", issues: [{ path: "", message: "The policy is not valid JSON." }] };
  }
  const locations = await listLocations(database(), shop.id);
  const valid = validateDraftPolicy(input, new Set(locations.map((l) => l.id)));
  if (!valid.ok) return { intent, ...valid };

  if (intent === "simulate") {
    const result = await simulateRouting(shop.id, { orders: orders ?? DEFAULT_SIMULATION_ORDERS, draft: valid.policy });
    if (!result.ok) return { intent, ok: false, error: result.message, issues: [{ path: "", message: result.message }] };
    const { ok: _ok, ...simulation } = result;
    return { intent, ok: true, message: null, simulation };
  }
  // Saved (and activated) in one transaction: activation moves the shop's config version with it.
  const activated = await database().transaction(async (tx) => {
    const saved = await saveDraft(tx, shop.id, valid.policy);
    await audit(tx, shop.id, "user", "routing.draft_saved", { type: "routing_rule_set", id: saved.id });
    if (intent === "save") return null;
    const outcome = await activateDraft(tx, shop.id);
    if (outcome.ok) await audit(tx, shop.id, "user", "routing.policy_activated", { type: "routing_rule_set", id: outcome.id }, { archived: outcome.archived });
    return outcome;
  });
  if (activated === null) return { intent, ok: true, message: "Draft saved. Live routing is unchanged until you activate it.", simulation: null };
  if (!activated.ok) return { intent, ok: false, error: "There was no draft to activate.", issues: [] };
  return { intent, ok: true, message: "Activated: orders routed from now on use this policy.", simulation: null };
}

const SOURCE_WORDS = { draft: "the saved draft", active: "a copy of the active policy", default: "the default policy" } as const;

export default function Routing() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [draft, setDraft] = useState<PolicyDraft>(() => toDraft(data.editing.policy));
  const { defaultOrders, maxOrders } = data.simulation;
  const [orders, setOrders] = useState(String(defaultOrders));
  const submit = useSubmit();
  const navigation = useNavigation();
  const busy = navigation.state === "idle" ? null : String(navigation.formData?.get("intent") ?? "");
  const send = (intent: "save" | "activate" | "simulate") => submit({ intent, policy: JSON.stringify(fromDraft(draft)), orders }, { method: "post" });
  const errors = useMemo(() => new Map(result && !result.ok ? result.issues.map((i) => [i.path, i.message]) : []), [result]);
  const errorAt = (path: string) => errors.get(path);
  const dirty = JSON.stringify(fromDraft(draft)) !== JSON.stringify(fromDraft(toDraft(data.editing.policy)));
  const activeSince = data.active?.activatedAt ? new Date(data.active.activatedAt).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) : null;

  return (
    <Page
      title="Routing"
      subtitle="Which locations ship each order, and why"
      primaryAction={{ content: "Activate", onAction: () => send("activate"), loading: busy === "activate", disabled: busy !== null }}
      secondaryActions={[
        { content: "Save draft", onAction: () => send("save"), loading: busy === "save", disabled: busy !== null },
        ...(data.active?.policy ? [{ content: "Start over from the active policy", onAction: () => setDraft(toDraft(data.active!.policy!)) }] : []),
        { content: "Start over from the default policy", onAction: () => setDraft(toDraft(data.defaultPolicy)) },
      ]}
    >
      <BlockStack gap="400">
        <InlineStack gap="200">
          <Badge tone="info">{`Editing ${SOURCE_WORDS[data.editing.source]}`}</Badge>
          {dirty ? <Badge tone="attention">Unsaved changes</Badge> : null}
          <Badge tone={data.active ? "success" : undefined}>{data.active ? `Live: active policy since ${activeSince} UTC` : "Live: the default policy (nothing activated yet)"}</Badge>
        </InlineStack>
        {data.active?.error ? <Banner tone="warning">{`The active policy no longer validates (${data.active.error}); live routing uses the default policy until you activate a new one.`}</Banner> : null}
        {data.draftError ? <Banner tone="warning">{`The saved draft no longer validates (${data.draftError}); you are editing another policy.`}</Banner> : null}
        {result && !result.ok ? (
          <Banner tone="critical" title={result.intent === "simulate" ? "Cannot simulate this draft" : "The draft was not saved"}>
            <List type="bullet">
              {(result.issues.length > 0 ? result.issues : [{ path: "", message: result.error }]).map((i, n) => (
                <List.Item key={n}>{i.path ? `${issueLabel(i.path.replace(/^form\./, ""), draft)}: ${i.message}` : i.message}</List.Item>
              ))}
            </List>
          </Banner>
        ) : null}
        {result?.ok && result.message ? <Banner tone="success">{result.message}</Banner> : null}
        {result?.ok && result.simulation ? <SimulationResults result={result.simulation} currency={data.currency} /> : null}
        <Layout>
          <Layout.Section>
            <BlockStack gap="400">
              <RuleListEditor rules={draft.rules} onChange={(rules) => setDraft({ ...draft, rules })} locations={data.locations} errorAt={errorAt} />
              <RateTableEditor zones={draft.zones} services={draft.services} onChange={(next) => setDraft({ ...draft, ...next })} errorAt={errorAt} />
              <PromiseEditor promise={draft.promise} onChange={(promise) => setDraft({ ...draft, promise })} errorAt={errorAt} />
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="400">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Simulate
                  </Text>
                  <Text as="p" tone="subdued">
                    Replays recent orders under this draft (as edited, saved or not) and under the live policy, side by side. Nothing is written.
                  </Text>
                  <TextField label="Orders to replay" type="number" min={1} max={maxOrders} value={orders} onChange={setOrders} autoComplete="off" error={errorAt("form.orders")} helpText={`The most recent, up to ${maxOrders.toLocaleString("en-US")}.`} />
                  <Button onClick={() => send("simulate")} loading={busy === "simulate"} disabled={busy !== null}>
                    {`Simulate on last ${orders || defaultOrders} orders`}
                  </Button>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="300">
                  <InlineStack gap="200" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      Stock prices
                    </Text>
                    {data.stockPlan ? <Badge tone={data.stockPlan.fresh ? "success" : "warning"}>{data.stockPlan.fresh ? "In use" : "Stale: not used"}</Badge> : <Badge>Not planned yet</Badge>}
                  </InlineStack>
                  <Text as="p" tone="subdued">
                    Once a day, recent orders are turned into a demand forecast by SKU and region, and stock that the forecast needs more than the network holds cheaply gets a price. Live routing adds it to the landed cost it ranks with, so an order only takes scarce stock when that saves more than the stock is worth elsewhere. Prices older than two days are ignored.
                  </Text>
                  {data.stockPlan ? (
                    <Text as="p">
                      {`Planned ${new Date(data.stockPlan.computedAt).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" })} UTC from ${data.stockPlan.stats.orders ?? 0} orders: ${data.stockPlan.stats.skusForecast ?? 0} SKUs forecast over ${data.stockPlan.stats.regions ?? 0} regions for ${data.stockPlan.stats.horizonDays ?? "?"} days, ${data.stockPlan.stats.pricedEntries ?? 0} scarce SKU × location prices.`}
                    </Text>
                  ) : null}
                  <Button onClick={() => submit({ intent: "plan_stock_prices" }, { method: "post" })} loading={busy === "plan_stock_prices"} disabled={busy !== null}>
                    Re-plan now
                  </Button>
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}
