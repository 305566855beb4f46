import { Badge } from "@shopify/polaris";

const STATUS_TONE: Record<string, "info" | "success" | "attention" | "warning" | "critical" | undefined> = {
  requested: "attention", approved: "info", in_transit: "info", received: "warning", inspected: "warning", refunded: "success", exchanged: "success", declined: "critical", closed: undefined,
};

/** An RMA's status as the Returns pages show it. */
export function ReturnStatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS_TONE[status]}>{status.replace("_", " ")}</Badge>;
}
