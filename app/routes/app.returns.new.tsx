import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, InlineStack, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { requestReturn } from "~/.server/use-cases/request-return";
import { orderForReturn } from "~/.server/use-cases/return-queue";

// The merchant starts a return (issue 14, ADR 0035): find the order by its name, then per line how many units, the
// reason and the condition. It goes through requestReturn with source "admin" (the same eligibility as a customer's,
// and on a Shopify order Shopify's returnCreate); the new RMA's page opens.

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const name = new URL(request.url).searchParams.get("order") ?? "";
  if (name.trim() === "") return { found: null, error: null };
  const found = await orderForReturn(shop.id, name);
  return found.ok ? { found, error: null } : { found: null, error: found.error };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop, redirect } = await requireAdminShop(request);
  const form = await readForm(request);
  const found = await orderForReturn(shop.id, String(form.get("order") ?? ""));
  if (!found.ok) return { ok: false as const, error: found.error };
  const lines: { orderLineId: string; quantity: number; reason: string; condition?: string }[] = [];
  const problems: string[] = [];
  for (const l of found.order.lines) {
    const text = String(form.get(`qty:${l.orderLineId}`) ?? "").trim();
    if (text === "" || text === "0") continue;
    const quantity = Number(text);
    if (!Number.isInteger(quantity) || quantity < 0) {
      problems.push(`${l.sku ?? l.title}: quantity must be a whole number, 0 or more (got ${JSON.stringify(text)}).`);
      continue;
    }
    lines.push({ orderLineId: l.orderLineId, quantity, reason: String(form.get(`reason:${l.orderLineId}`) ?? ""), condition: String(form.get(`condition:${l.orderLineId}`) ?? "") || undefined });
  }
  if (problems.length > 0) return { ok: false as const, error: `Return not created: ${problems.join(" ")}` };
  if (lines.length === 0) return { ok: false as const, error: "Return not created: enter how many units of at least one line come back." };
  const note = String(form.get("note") ?? "").trim().slice(0, 2000);
  const result = await requestReturn(shop.id, { orderId: found.order.id, lines, note: note || undefined, source: "admin" }, { actor: "admin" });
  if (!result.ok) return { ok: false as const, error: result.error };
  return redirect(`/app/returns/${result.rma.number}`);
}

type Found = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["found"]>;

function LineFields({ line, reasons, conditions }: { line: Found["order"]["lines"][number]; reasons: string[]; conditions: string[] }) {
  const [quantity, setQuantity] = useState("0");
  const [reason, setReason] = useState(reasons[0] ?? "");
  const [condition, setCondition] = useState(conditions[0] ?? "");
  const label = line.sku ?? line.title;
  return (
    <InlineStack gap="300" blockAlign="end">
      <div style={{ minWidth: 220 }}>
        <Text as="p" fontWeight="semibold">
          {label}
        </Text>
        <Text as="p" tone="subdued" variant="bodySm">
          {line.title} · shipped {line.shipped}, on returns {line.onReturns}, returnable {line.returnable}
        </Text>
      </div>
      <TextField label={`Units of ${label}`} name={`qty:${line.orderLineId}`} type="number" min={0} max={line.returnable} value={quantity} onChange={setQuantity} autoComplete="off" />
      <Select label={`Reason for ${label}`} name={`reason:${line.orderLineId}`} options={reasons.map((r) => ({ label: r.replace(/_/g, " "), value: r }))} value={reason} onChange={setReason} />
      <Select label={`Condition of ${label}`} name={`condition:${line.orderLineId}`} options={conditions.map((c) => ({ label: c, value: c }))} value={condition} onChange={setCondition} />
    </InlineStack>
  );
}

export default function CreateReturn() {
  const { found, error } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const [params, setParams] = useSearchParams();
  const [name, setName] = useState(params.get("order") ?? "");
  const [note, setNote] = useState("");
  const failure = result && !result.ok ? result.error : error;
  return (
    <Page title="Create return" backAction={{ content: "Returns", url: "/app/returns" }}>
      <BlockStack gap="400">
        {failure ? (
          <Banner tone="critical" title="Nothing was created">
            <p>{failure}</p>
          </Banner>
        ) : null}
        <Card>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              const next = new URLSearchParams(params);
              next.set("order", name.trim());
              setParams(next);
            }}
          >
            <InlineStack gap="200" blockAlign="end">
              <TextField label="Order" value={name} onChange={setName} autoComplete="off" placeholder="#1001" />
              <Button submit>Find order</Button>
            </InlineStack>
          </form>
        </Card>
        {found ? (
          <Card>
            <Form method="post">
              <input type="hidden" name="order" value={found.order.id} />
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Order {found.order.name}
                </Text>
                {found.order.lines.map((l) => (
                  <LineFields key={l.orderLineId} line={l} reasons={found.reasons} conditions={found.conditions} />
                ))}
                <TextField label="Note" name="note" value={note} onChange={setNote} autoComplete="off" multiline={2} />
                <InlineStack>
                  <Button submit variant="primary" disabled={busy}>
                    Create return
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </Card>
        ) : null}
      </BlockStack>
    </Page>
  );
}
