import { db } from "../db/client";
import { queue } from "../jobs/queue";

export interface Health {
  ok: boolean;
  db: "ok" | "down";
  queue: "ok" | "down";
}

const TIMEOUT_MS = 2_000;

/** Each part answers within 2 s or counts as down. */
export async function checkHealth(): Promise<Health> {
  const [dbOk, queueOk] = await Promise.all([
    withTimeout(db().$queryRawUnsafe("SELECT 1").then(() => true)),
    withTimeout(queue().ping()),
  ]);
  return { ok: dbOk && queueOk, db: dbOk ? "ok" : "down", queue: queueOk ? "ok" : "down" };
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
