import { p95 } from "~/domain/inventory/available-to-sell";
import { connectedAmazonChannelIds } from "../db/amazon-sql";
import { channelHealth } from "../db/channel-reconcile-sql";
import { database } from "../db/database";
import { listChannels } from "../db/shops";
import { PUSHED_CHANNEL_KINDS } from "~/domain/channels/channel-config";

// The dashboard's sync-health card (ADR 0010–0013): per channel the app sends figures to, how fast accepted
// figures landed in the last 24 h, what still waits and fails (with the latest reasons), and the drift the
// reconciliation repaired.

export interface ChannelSyncHealth {
  channelId: string;
  kind: string;
  name: string;
  connected: boolean;
  pushes24h: number;
  lagP50Ms: number | null;
  lagP95Ms: number | null;
  waiting: number;
  failing: number;
  oldestWaitingMs: number | null;
  driftRepaired24h: number;
  lastCheckedAt: string | null;
  errors: { sku: string; error: string }[];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

export async function readSyncHealth(shopId: string, now = new Date()): Promise<ChannelSyncHealth[]> {
  const q = database();
  const since = new Date(now.getTime() - 24 * 3_600_000);
  const [channels, connected] = await Promise.all([listChannels(q, shopId), connectedAmazonChannelIds(q, shopId)]);
  const pushed = channels.filter((c) => c.active && (PUSHED_CHANNEL_KINDS as readonly string[]).includes(c.kind));
  return Promise.all(pushed.map(async (c) => {
    const h = await channelHealth(q, shopId, c.id, since);
    return {
      channelId: c.id,
      kind: c.kind,
      name: c.name,
      connected: c.kind !== "amazon" || connected.has(c.id),
      pushes24h: h.lags.length,
      lagP50Ms: median(h.lags),
      lagP95Ms: p95(h.lags),
      waiting: h.waiting,
      failing: h.failing,
      oldestWaitingMs: h.oldestDirtyAt ? Math.max(0, now.getTime() - Date.parse(h.oldestDirtyAt)) : null,
      driftRepaired24h: h.driftRepaired,
      lastCheckedAt: h.lastCheckedAt,
      errors: h.errors,
    };
  }));
}
