import { Form } from "@remix-run/react";
import { BlockStack, Button, Card, Checkbox, DataTable, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { downloadFile } from "./import-results";

// The Channels page's "Wholesale trading partners" card (ADR 0017, 0018): the partners, a form to add or edit one
// (X12 ids all six or none, documents wanted back), and each partner's items as a price-list CSV to upload and
// download, and a link to the EDI documents of a partner that trades by X12. No data access: the forms post to the
// page's route, which answers them.

export interface PartnerView {
  id: string;
  code: string;
  name: string;
  currency: string;
  x12: { theirs: { isaQualifier: string; isaId: string; gsId: string }; ours: { isaQualifier: string; isaId: string; gsId: string }; version: string; usage: string } | null;
  documents: string[];
  items: number;
}

const X12_FIELDS = [
  ["isaQualifier", "Partner's ISA qualifier", "ZZ"],
  ["isaId", "Partner's ISA id", "ACMESTORES"],
  ["gsId", "Partner's GS id", "ACMEGS"],
  ["ourIsaQualifier", "Our ISA qualifier", "ZZ"],
  ["ourIsaId", "Our ISA id (as the partner knows us)", "OURSHOP"],
  ["ourGsId", "Our GS id", "OURGS"],
] as const;
type X12Field = (typeof X12_FIELDS)[number][0];

function initial(p: PartnerView | null): Record<X12Field | "code" | "name" | "currency" | "x12Version" | "usage", string> {
  return {
    code: p?.code ?? "",
    name: p?.name ?? "",
    currency: p?.currency ?? "USD",
    isaQualifier: p?.x12?.theirs.isaQualifier ?? "",
    isaId: p?.x12?.theirs.isaId ?? "",
    gsId: p?.x12?.theirs.gsId ?? "",
    ourIsaQualifier: p?.x12?.ours.isaQualifier ?? "",
    ourIsaId: p?.x12?.ours.isaId ?? "",
    ourGsId: p?.x12?.ours.gsId ?? "",
    x12Version: p?.x12?.version ?? "004010",
    usage: p?.x12?.usage ?? "P",
  };
}

export function PartnerForm({ partner, errors, busy }: { partner: PartnerView | null; errors: Record<string, string>; busy: boolean }) {
  const [values, setValues] = useState(initial(partner));
  const [documents, setDocuments] = useState<string[]>(partner?.documents ?? []);
  const field = (name: keyof typeof values) => ({ name, value: values[name], onChange: (v: string) => setValues({ ...values, [name]: v }), error: errors[name], autoComplete: "off" });
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={partner ? "editPartner" : "createPartner"} />
      {partner ? <input type="hidden" name="partnerId" value={partner.id} /> : null}
      {documents.map((d) => <input key={d} type="hidden" name="documents" value={d} />)}
      <FormLayout>
        <FormLayout.Group>
          <TextField label="Code" helpText="What the API and the Imports page name it by (partner=ACME)" {...field("code")} />
          <TextField label="Name" {...field("name")} />
          <TextField label="Currency" helpText="Its agreed prices and purchase orders are in it" {...field("currency")} />
        </FormLayout.Group>
        <Text as="p" tone="subdued">X12 (EDI) ids — all six, or none for a partner that sends CSV only:</Text>
        <FormLayout.Group condensed>
          {X12_FIELDS.slice(0, 3).map(([name, label, placeholder]) => <TextField key={name} label={label} placeholder={placeholder} {...field(name)} />)}
        </FormLayout.Group>
        <FormLayout.Group condensed>
          {X12_FIELDS.slice(3).map(([name, label, placeholder]) => <TextField key={name} label={label} placeholder={placeholder} {...field(name)} />)}
        </FormLayout.Group>
        <FormLayout.Group condensed>
          <Select label="X12 version we write" options={["004010", "005010"]} {...field("x12Version")} />
          <Select label="Usage" options={[{ label: "Production (P)", value: "P" }, { label: "Test (T)", value: "T" }]} {...field("usage")} />
        </FormLayout.Group>
        <InlineStack gap="400">
          {[["855", "855 acknowledgement"], ["856", "856 ship notice"], ["810", "810 invoice"]].map(([d, label]) => (
            <Checkbox key={d} label={label} checked={documents.includes(d)} onChange={(on) => setDocuments(on ? [...documents, d] : documents.filter((x) => x !== d))} />
          ))}
        </InlineStack>
        {errors.documents ? <Text as="p" tone="critical">{errors.documents}</Text> : null}
        {errors.partner ? <Text as="p" tone="critical">{errors.partner}</Text> : null}
        <InlineStack>
          <Button submit loading={busy}>{partner ? "Save partner" : "Add partner"}</Button>
        </InlineStack>
      </FormLayout>
    </Form>
  );
}

function PriceList({ partner, busy }: { partner: PartnerView; busy: boolean }) {
  return (
    <Form method="post" encType="multipart/form-data">
      <input type="hidden" name="intent" value="uploadPriceList" />
      <input type="hidden" name="partnerId" value={partner.id} />
      <BlockStack gap="200">
        <Text as="p">
          Items: {partner.items} (buyer part numbers and agreed prices in {partner.currency}). Upload a CSV with the columns sku, buyer_part_number, unit_price: it replaces the whole list.
        </Text>
        <InlineStack gap="300" blockAlign="center">
          <input type="file" name="file" accept=".csv,.txt,text/csv,text/plain" aria-label={`Price list for ${partner.code}`} />
          <Button submit loading={busy}>Upload price list</Button>
          {partner.items > 0 ? <Button variant="plain" onClick={() => downloadFile(`/api/v1/partners/${encodeURIComponent(partner.id)}/items.csv`, `${partner.code}-items.csv`)}>Download the current list</Button> : null}
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

export function TradingPartnersCard({ partners, errorsFor, busy }: { partners: PartnerView[]; errorsFor: (formKey: string) => Record<string, string>; busy: boolean }) {
  const [editing, setEditing] = useState<string | null>(null);
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">Wholesale trading partners</Text>
        {partners.length === 0 ? (
          <Text as="p" tone="subdued">None yet. A partner gets its own wholesale channel; its purchase orders (CSV, X12) are imported for it on the Imports page.</Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text", "text", "numeric", "text"]}
            headings={["Code", "Name", "Currency", "X12 ids (theirs / ours)", "Documents wanted", "Items", ""]}
            rows={partners.map((p) => [
              p.code,
              p.name,
              p.currency,
              p.x12 ? `${p.x12.theirs.isaQualifier}:${p.x12.theirs.isaId} (GS ${p.x12.theirs.gsId}) / ${p.x12.ours.isaQualifier}:${p.x12.ours.isaId} (GS ${p.x12.ours.gsId})` : "— (CSV only)",
              p.documents.length ? p.documents.join(", ") : "—",
              p.items,
              <InlineStack key="actions" gap="300">
                <Button variant="plain" onClick={() => setEditing(editing === p.id ? null : p.id)}>{editing === p.id ? "Close" : "Edit"}</Button>
                {p.x12 ? <Button variant="plain" url={`/app/partners/${encodeURIComponent(p.id)}/documents`}>Documents</Button> : null}
              </InlineStack>,
            ])}
          />
        )}
        {partners.filter((p) => p.id === editing || Object.keys(errorsFor(p.id)).length > 0).map((p) => (
          <Card key={p.id}>
            <BlockStack gap="300">
              <Text as="h3" variant="headingSm">{p.name} ({p.code})</Text>
              <PartnerForm partner={p} errors={errorsFor(p.id)} busy={busy} />
              <PriceList partner={p} busy={busy} />
            </BlockStack>
          </Card>
        ))}
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">Add a trading partner</Text>
          <PartnerForm partner={null} errors={errorsFor("new")} busy={busy} />
        </BlockStack>
      </BlockStack>
    </Card>
  );
}
