import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, Checkbox, FormLayout, InlineError, InlineGrid, InlineStack, Layout, List, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { newFormToken, takeManualOrder } from "~/.server/use-cases/take-manual-order";
import { manualOrderFields, type FormProblem } from "~/domain/orders/manual-order-form";

// Create order: a phone or manual order keyed in by the merchant, taken in like an order posted to the API
// (reserved and routed as it lands), optionally drafted in Shopify too. The page's token names the order when no
// reference is given, so sending the form twice makes one order.

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  return { formToken: newFormToken(), currency: shop.currency };
}

// The token is the page's: a failed submit keeps it (reloading data would hand out a new one and a second order).
export const shouldRevalidate = () => false;

export async function action({ request }: ActionFunctionArgs) {
  const { shop, redirect } = await requireAdminShop(request);
  const outcome = await takeManualOrder(shop, manualOrderFields(await readForm(request)), { actor: "user" });
  if (!outcome.ok) return { problems: outcome.problems };
  return redirect(`/app/orders/${outcome.orderId}`);
}

interface LineState {
  key: number;
  sku: string;
  quantity: string;
  price: string;
}

export default function CreateOrder() {
  const { formToken, currency } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  const problems: FormProblem[] = result?.problems ?? [];
  const errorOf = (field: string) => problems.filter((p) => p.field === field).map((p) => p.message).join("; ") || undefined;

  const [fields, setFields] = useState({ reference: "", customerName: "", email: "", phone: "", shipName: "", address1: "", city: "", province: "", countryCode: "", zip: "" });
  const [lines, setLines] = useState<LineState[]>([{ key: 0, sku: "", quantity: "1", price: "" }]);
  const [createDraft, setCreateDraft] = useState(false);
  const text = (name: keyof typeof fields, label: string, extra: { type?: "email" | "tel"; helpText?: string; autoComplete?: string } = {}) => (
    <TextField
      label={label}
      name={name}
      value={fields[name]}
      onChange={(value) => setFields((f) => ({ ...f, [name]: value }))}
      error={errorOf(name)}
      autoComplete={extra.autoComplete ?? "off"}
      type={extra.type}
      helpText={extra.helpText}
    />
  );
  const setLine = (key: number, patch: Partial<LineState>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  return (
    <Page backAction={{ content: "Orders", url: "/app/orders" }} title="Create order" subtitle="A phone or manual order: reserved and routed as soon as it is saved">
      <Form method="post">
        <input type="hidden" name="formToken" value={formToken} />
        <BlockStack gap="400">
          {problems.length > 0 ? (
            <Banner tone="critical" title={`The order was not saved: ${problems.length === 1 ? "1 problem" : `${problems.length} problems`} to fix`}>
              <List>
                {problems.map((p, i) => (
                  <List.Item key={i}>{p.message}</List.Item>
                ))}
              </List>
            </Banner>
          ) : null}
          <Layout>
            <Layout.Section>
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Lines
                  </Text>
                  {lines.map((line, row) => (
                    <InlineGrid key={line.key} columns={{ xs: 1, md: ["twoThirds", "oneThird", "oneThird", "oneHalf"] }} gap="200" alignItems="end">
                      <TextField label={`SKU (line ${row + 1})`} name="sku" value={line.sku} onChange={(v) => setLine(line.key, { sku: v })} error={errorOf(`lines.${row}.sku`)} autoComplete="off" />
                      <TextField label="Quantity" name="quantity" type="number" min={1} value={line.quantity} onChange={(v) => setLine(line.key, { quantity: v })} error={errorOf(`lines.${row}.quantity`)} autoComplete="off" />
                      <TextField
                        label={`Unit price (${currency})`}
                        name="price"
                        value={line.price}
                        onChange={(v) => setLine(line.key, { price: v })}
                        error={errorOf(`lines.${row}.price`)}
                        placeholder="Catalog price"
                        inputMode="decimal"
                        autoComplete="off"
                      />
                      <Button disabled={lines.length === 1} onClick={() => setLines((ls) => ls.filter((l) => l.key !== line.key))} accessibilityLabel={`Remove line ${row + 1}`}>
                        Remove
                      </Button>
                    </InlineGrid>
                  ))}
                  {errorOf("lines") ? <InlineError message={errorOf("lines")!} fieldID="sku" /> : null}
                  <InlineStack>
                    <Button onClick={() => setLines((ls) => [...ls, { key: Math.max(...ls.map((l) => l.key)) + 1, sku: "", quantity: "1", price: "" }])}>Add line</Button>
                  </InlineStack>
                  <Text as="p" tone="subdued">
                    A blank unit price takes the catalog price of the SKU.
                  </Text>
                </BlockStack>
              </Card>
            </Layout.Section>
            <Layout.Section variant="oneThird">
              <BlockStack gap="400">
                <Card>
                  <FormLayout>
                    <Text as="h2" variant="headingMd">
                      Customer
                    </Text>
                    {text("customerName", "Name", { autoComplete: "name" })}
                    {text("email", "Email", { type: "email", autoComplete: "email" })}
                    {text("phone", "Phone", { type: "tel", autoComplete: "tel" })}
                  </FormLayout>
                </Card>
                <Card>
                  <FormLayout>
                    <Text as="h2" variant="headingMd">
                      Ship to
                    </Text>
                    {text("shipName", "Name", { helpText: "Blank: the customer's name" })}
                    {text("address1", "Address")}
                    <FormLayout.Group condensed>
                      {text("city", "City")}
                      {text("province", "State / province", { helpText: "Its code, e.g. NY" })}
                    </FormLayout.Group>
                    <FormLayout.Group condensed>
                      {text("countryCode", "Country code", { helpText: "Two letters, e.g. US" })}
                      {text("zip", "ZIP / postal code")}
                    </FormLayout.Group>
                  </FormLayout>
                </Card>
                <Card>
                  <FormLayout>
                    {text("reference", "Reference (optional)", { helpText: "Your order or PO number; it identifies the order, so the same reference never makes a second one." })}
                    <Checkbox label="Also create a draft order in Shopify" name="createDraft" checked={createDraft} onChange={setCreateDraft} helpText="To send the customer an invoice from Shopify." />
                  </FormLayout>
                </Card>
              </BlockStack>
            </Layout.Section>
          </Layout>
          <Box paddingBlockEnd="400">
            <InlineStack align="end">
              <Button submit variant="primary" loading={busy}>
                Create order
              </Button>
            </InlineStack>
          </Box>
        </BlockStack>
      </Form>
    </Page>
  );
}
