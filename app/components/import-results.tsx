import { Badge } from "@shopify/polaris";

// Pieces the Imports page and an import's results page share (no data access).

export const MODE_OPTIONS = [
  { label: "Import nothing (all or nothing)", value: "all-or-nothing" },
  { label: "Import the other orders (line by line)", value: "line-by-line" },
];

export function ImportStatusBadge({ status, failedLines }: { status: string; failedLines: number }) {
  if (status === "done") return failedLines > 0 ? <Badge tone="attention">{`done, ${failedLines} refused`}</Badge> : <Badge tone="success">done</Badge>;
  if (status === "failed") return <Badge tone="critical">failed</Badge>;
  if (status === "running") return <Badge tone="info">running</Badge>;
  return <Badge>queued</Badge>;
}

export function summaryText(summary: { orders: number; created: number; updated: number; unchanged: number; cancelled: number; refusedOrders: number } | null): string {
  if (!summary) return "—";
  const parts = [
    summary.created && `${summary.created} new`,
    summary.updated && `${summary.updated} updated`,
    summary.cancelled && `${summary.cancelled} cancelled`,
    summary.unchanged && `${summary.unchanged} unchanged`,
    summary.refusedOrders && `${summary.refusedOrders} refused`,
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : summary.orders === 0 ? "none" : `${summary.orders}`;
}

/**
 * Every line's result as a CSV file. Fetched (inside the admin, App Bridge adds the session token to the app's own
 * requests) and handed to the browser as a download.
 */
export async function downloadCsv(importId: string, failedOnly = false): Promise<void> {
  await downloadFile(`/api/v1/imports/${encodeURIComponent(importId)}/lines.csv${failedOnly ? "?failed=1" : ""}`, `import-${importId}-lines${failedOnly ? "-refused" : ""}.csv`);
}

/** A file the app's API serves (a template, a price list), fetched the same way and handed to the browser. */
export async function downloadFile(path: string, filename: string): Promise<void> {
  const response = await fetch(path);
  if (!response.ok) return;
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
