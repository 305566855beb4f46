import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Banner, BlockStack, Button, Card, FormLayout, InlineStack, Page, Select, Text, TextField } from "@shopify/polaris";
import { readForm } from "~/.server/api/http";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { readPartnerDelivery, removePartnerDelivery, setPartnerDelivery } from "~/.server/use-cases/deliver-partner-documents";
import { partnerDocuments } from "~/.server/use-cases/read-partner-documents";
import { EdiDocumentsTable } from "~/components/edi-documents";

// A trading partner's EDI documents (ADR 0022): what it sent and what we sent it, newest first, each downloadable;
// and where they are sent (ADR 0023): the partner's SFTP server, its state, and the form that sets it.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  try {
    const reference = String(params.id ?? "").slice(0, 64);
    const [list, { delivery }] = await Promise.all([partnerDocuments(shop.id, reference, { take: 200 }), readPartnerDelivery(shop.id, reference)]);
    return { ...list, delivery };
  } catch (error) {
    if (error instanceof AppError && error.type === "not_found") throw new Response("Trading partner not found", { status: 404 });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  const form = await readForm(request);
  const reference = String(params.id ?? "").slice(0, 64);
  try {
    if (form.get("intent") === "removeDelivery") {
      await removePartnerDelivery(shop.id, reference, { actor: "user" });
      return { ok: true as const, error: null };
    }
    const secret = String(form.get("secret") ?? "");
    const authKind = String(form.get("authKind") ?? "password");
    await setPartnerDelivery(shop.id, reference, {
      kind: "sftp",
      host: String(form.get("host") ?? ""),
      port: Number(form.get("port") || 22),
      username: String(form.get("username") ?? ""),
      ...(authKind === "key" ? { privateKey: secret } : { password: secret }),
      directory: String(form.get("directory") ?? ""),
      hostKeySha256: String(form.get("hostKeySha256") ?? ""),
    }, { actor: "user" });
    return { ok: true as const, error: null };
  } catch (error) {
    if (error instanceof AppError && (error.type === "invalid_data" || error.type === "not_found")) return { ok: false as const, error: error.message };
    throw error;
  }
}

type Delivery = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["delivery"]>;

function DeliveryCard({ delivery }: { delivery: Delivery | null }) {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [host, setHost] = useState(delivery?.host ?? "");
  const [port, setPort] = useState(String(delivery?.port ?? 22));
  const [username, setUsername] = useState(delivery?.username ?? "");
  const [authKind, setAuthKind] = useState<string>(delivery?.authKind ?? "password");
  const [secret, setSecret] = useState("");
  const [directory, setDirectory] = useState(delivery?.directory ?? "/");
  const [hostKey, setHostKey] = useState(delivery?.hostKeySha256 ?? "");
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Sending by SFTP
        </Text>
        {delivery ? (
          <Text as="p">
            New documents go to {delivery.username}@{delivery.host}:{delivery.port}
            {delivery.directory}: {delivery.counts.sent} sent, {delivery.counts.failed - delivery.counts.givenUp} waiting for a retry, {delivery.counts.givenUp} given up
            {delivery.lastRunAt ? ` (last round ${delivery.lastRunAt.slice(0, 16).replace("T", " ")} UTC)` : ""}.
          </Text>
        ) : (
          <Text as="p" tone="subdued">
            Not set: documents are only kept here to download. Set the partner&apos;s SFTP server to have every new one sent to it.
          </Text>
        )}
        {delivery?.lastError ? <Banner tone="warning">{delivery.lastError}</Banner> : null}
        {result?.error ? <Banner tone="critical">{result.error}</Banner> : null}
        <Form method="post">
          <input type="hidden" name="intent" value="saveDelivery" />
          <FormLayout>
            <FormLayout.Group>
              <TextField label="Host" name="host" value={host} onChange={setHost} autoComplete="off" />
              <TextField label="Port" name="port" type="number" value={port} onChange={setPort} autoComplete="off" />
              <TextField label="User" name="username" value={username} onChange={setUsername} autoComplete="off" />
            </FormLayout.Group>
            <FormLayout.Group>
              <Select label="Sign in with" name="authKind" options={[{ label: "Password", value: "password" }, { label: "Private key", value: "key" }]} value={authKind} onChange={setAuthKind} />
              <TextField
                label={authKind === "key" ? "Private key" : "Password"} name="secret" value={secret} onChange={setSecret} autoComplete="off"
                type={authKind === "key" ? "text" : "password"} multiline={authKind === "key" ? 4 : undefined}
                helpText={delivery ? "Stored encrypted and never shown again: enter it again to change anything here." : "Stored encrypted and never shown again."}
              />
            </FormLayout.Group>
            <FormLayout.Group>
              <TextField label="Directory" name="directory" value={directory} onChange={setDirectory} autoComplete="off" />
              <TextField label="Server host key (SHA256 fingerprint)" name="hostKeySha256" value={hostKey} onChange={setHostKey} autoComplete="off" placeholder="SHA256:…" helpText="As ssh-keygen -lf prints it; a server showing another key is never sent to." />
            </FormLayout.Group>
          </FormLayout>
          <InlineStack gap="200">
            <Button submit loading={busy}>
              {delivery ? "Save" : "Send by SFTP"}
            </Button>
          </InlineStack>
        </Form>
        {delivery ? (
          <Form method="post">
            <input type="hidden" name="intent" value="removeDelivery" />
            <Button submit tone="critical" variant="plain" loading={busy}>
              Stop sending
            </Button>
          </Form>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export default function PartnerDocuments() {
  const { partner, documents, delivery } = useLoaderData<typeof loader>();
  return (
    <Page title={`EDI documents: ${partner.name}`} subtitle={`Trading partner ${partner.code} · the newest 200`} backAction={{ content: "Channels", url: "/app/channels" }}>
      <BlockStack gap="400">
        <DeliveryCard delivery={delivery} />
        <Card padding="0">
          <EdiDocumentsTable documents={documents} showOrder />
        </Card>
      </BlockStack>
    </Page>
  );
}
