import { database } from "../db/database";
import { pingDatabase } from "../db/operations";
import { queue } from "../jobs/queue";
import { checkStockConsistencyOfAllShops } from "./check-stock-consistency";

export interface Health {
  ok: boolean;
  db: "ok" | "down";
  queue: "ok" | "down";
  /** Only when asked for (`stock: true`): whether stock adds up in every shop, and how many discrepancies. */
  stock?: { ok: boolean; discrepancies: number };
}

const TIMEOUT_MS = 2_000;

/**
 * Each part answers within 2 s or counts as down. `stock: true` also runs the stock consistency check
 * over every shop (it scans the ledgers: for operators and the demo, not for a load balancer's probe).
 */
export async function checkHealth(opts: { stock?: boolean } = {}): Promise<Health> {
  const [dbOk, queueOk] = await Promise.all([
    withTimeout(Promise.resolve().then(() => pingDatabase(database()))),
    withTimeout(queue().ping()),
  ]);
  const health: Health = { ok: dbOk && queueOk, db: dbOk ? "ok" : "down", queue: queueOk ? "ok" : "down" };
  if (opts.stock && dbOk) {
    const discrepancies = (await checkStockConsistencyOfAllShops()).reduce((n, shop) => n + shop.discrepancies.length, 0);
    health.stock = { ok: discrepancies === 0, discrepancies };
    health.ok &&= discrepancies === 0;
  }
  return health;
}

async function withTimeout(work: Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), TIMEOUT_MS);
  });
  try {
    return await Promise.race([work.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
