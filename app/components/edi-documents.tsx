import { Link } from "@remix-run/react";
import { Button, DataTable, Text } from "@shopify/polaris";
import { downloadFile } from "./import-results";

// EDI documents exchanged with a trading partner (ADR 0017, 0022), each downloadable as its X12 text through the
// API route the admin's session token opens. Shown on the order page and on a partner's documents page.

export interface EdiDocumentRowView {
  id: string;
  partnerId: string;
  type: string;
  direction: string;
  documentKey: string;
  orderId: string | null;
  controlNumber: number | null;
  createdAt: string;
  filename: string;
}

const NAMES: Record<string, string> = { "850": "850 purchase order", "855": "855 acknowledgement", "856": "856 ship notice", "810": "810 invoice", "997": "997 functional acknowledgement", TA1: "TA1 interchange acknowledgement" };

export const ediDocumentPath = (d: Pick<EdiDocumentRowView, "partnerId" | "id">) => `/api/v1/partners/${encodeURIComponent(d.partnerId)}/documents/${encodeURIComponent(d.id)}.edi`;

export function EdiDocumentsTable({ documents, showOrder = false }: { documents: EdiDocumentRowView[]; showOrder?: boolean }) {
  if (documents.length === 0) return <Text as="p" tone="subdued">No documents yet.</Text>;
  return (
    <DataTable
      columnContentTypes={["text", "text", "text", "numeric", "text", "text"]}
      headings={["Document", "Direction", showOrder ? "Key / order" : "Key", "Control number", "When (UTC)", ""]}
      rows={documents.map((d) => [
        NAMES[d.type] ?? d.type,
        d.direction === "out" ? "Sent" : "Received",
        showOrder && d.orderId ? <Link key="order" to={`/app/orders/${encodeURIComponent(d.orderId)}`}>{d.documentKey}</Link> : d.documentKey,
        d.controlNumber ?? "—",
        new Date(d.createdAt).toLocaleString("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }),
        <Button key="download" variant="plain" onClick={() => downloadFile(ediDocumentPath(d), d.filename)}>
          Download
        </Button>,
      ])}
    />
  );
}
