// A slow, steady stream of orders for the demo: every interval one new order is created in the
// stand-in store and its signed orders/create webhook delivered to the app. Now and then a
// webhook is delivered twice (same event id) and an earlier order is cancelled, so the demo
// also shows idempotent ingestion and cancellations.
import { cancelOrder } from "./order-factory";
import type { ShopifySandbox } from "./server";

export interface OrderStreamOptions {
  sandbox: ShopifySandbox;
  shop: string;
  intervalMs: number;
  log?: (message: string) => void;
  seed?: number | string;
  /** Every n-th order is delivered twice (default 7; 0 = never). */
  duplicateEvery?: number;
  /** Every n-th order cancels an earlier one (default 11; 0 = never). */
  cancelEvery?: number;
}

export interface OrderStream {
  stop(): void;
  /** Orders created so far. */
  count(): number;
}

export function startOrderStream(opts: OrderStreamOptions): OrderStream {
  const { sandbox, shop } = opts;
  const log = opts.log ?? (() => {});
  const factory = sandbox.orders(shop, opts.seed ?? "demo-stream");
  const duplicateEvery = opts.duplicateEvery ?? 7;
  const cancelEvery = opts.cancelEvery ?? 11;
  const created: bigint[] = [];
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const tick = async () => {
    const order = factory.create();
    created.push(order.id);
    const n = created.length;
    const copies = duplicateEvery > 0 && n % duplicateEvery === 0 ? 2 : 1;
    const result = await sandbox.webhooks.deliver({ shop, topic: "orders/create", payload: order, copies });
    const statuses = result.attempts.map((a) => a.status ?? "no answer").join(", ");
    log(`order ${order.name} (${order.line_items.length} lines, $${order.total_price}) → orders/create ${statuses}${copies > 1 ? " (delivered twice)" : ""}`);
    if (cancelEvery > 0 && n % cancelEvery === 0 && n > 2) {
      const victim = created[n - 3];
      const cancelled = cancelOrder(sandbox.store, shop, victim, "customer");
      const r = await sandbox.webhooks.deliver({ shop, topic: "orders/cancelled", payload: cancelled });
      log(`order ${cancelled.name} cancelled → orders/cancelled ${r.attempts.map((a) => a.status ?? "no answer").join(", ")}`);
    }
  };

  const loop = () => {
    if (stopped) return;
    tick()
      .catch((error: unknown) => log(`order stream: ${(error as Error).message}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, opts.intervalMs);
      });
  };
  timer = setTimeout(loop, Math.min(opts.intervalMs, 1000));

  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    count: () => created.length,
  };
}
