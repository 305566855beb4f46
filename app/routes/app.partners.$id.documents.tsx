import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Card, Page } from "@shopify/polaris";
import { requireAdminShop } from "~/.server/auth/admin-shop";
import { AppError } from "~/.server/errors";
import { partnerDocuments } from "~/.server/use-cases/read-partner-documents";
import { EdiDocumentsTable } from "~/components/edi-documents";

// A trading partner's EDI documents (ADR 0022): what it sent and what we sent it, newest first, each downloadable.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireAdminShop(request);
  try {
    return await partnerDocuments(shop.id, String(params.id ?? "").slice(0, 64), { take: 200 });
  } catch (error) {
    if (error instanceof AppError && error.type === "not_found") throw new Response("Trading partner not found", { status: 404 });
    throw error;
  }
}

export default function PartnerDocuments() {
  const { partner, documents } = useLoaderData<typeof loader>();
  return (
    <Page title={`EDI documents: ${partner.name}`} subtitle={`Trading partner ${partner.code} · the newest 200`} backAction={{ content: "Channels", url: "/app/channels" }}>
      <Card padding="0">
        <EdiDocumentsTable documents={documents} showOrder />
      </Card>
    </Page>
  );
}
