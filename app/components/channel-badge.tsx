import { Badge } from "@shopify/polaris";

const TONE: Record<string, "info" | "success" | "attention" | "warning" | undefined> = {
  shopify: "success",
  amazon: "warning",
  wholesale: "info",
  manual: undefined,
};

export function ChannelBadge({ kind }: { kind: string }) {
  return <Badge tone={TONE[kind]}>{kind.charAt(0).toUpperCase() + kind.slice(1)}</Badge>;
}

export function StatusBadge({ status }: { status: string }) {
  const tone = status === "cancelled" ? "critical" : status === "backordered" ? "warning" : status === "shipped" || status === "delivered" ? "success" : "info";
  return <Badge tone={tone}>{status}</Badge>;
}
