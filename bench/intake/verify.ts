import { createPrismaClient } from "../../app/.server/db/client";
import { orderIdOf } from "./payloads";

// Read-side checks of the intake bench, run on a run's database file after its server has exited.
// They read through Prisma's models (the inbox and orders tables), never through the insert path,
// so they hold whatever SQL the app uses to write.

type Db = ReturnType<typeof createPrismaClient>;

export async function withDb<T>(dbFile: string, use: (db: Db) => Promise<T>): Promise<T> {
  const db = createPrismaClient(`file:${dbFile}`);
  try {
    return await use(db);
  } finally {
    await db.$disconnect();
  }
}

/** Every event answered 200 must be in the inbox exactly once; nothing we did not send may be there. */
export async function verifyInbox(dbFile: string, shop: string, runTag: string, accepted: string[]): Promise<{ rows: number }> {
  const rows = await withDb(dbFile, (db) => db.webhookInbox.findMany({ where: { shopDomain: shop }, select: { eventId: true } }));
  const seen = new Map<string, number>();
  for (const row of rows) seen.set(row.eventId, (seen.get(row.eventId) ?? 0) + 1);
  const problems: string[] = [];
  const missing = accepted.filter((id) => !seen.has(id));
  const doubled = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  const foreign = [...seen.keys()].filter((id) => !id.startsWith(`${runTag}-`));
  if (missing.length) problems.push(`${missing.length} accepted events missing from the inbox (e.g. ${missing.slice(0, 3).join(", ")})`);
  if (doubled.length) problems.push(`${doubled.length} events stored more than once (e.g. ${doubled.slice(0, 3).join(", ")})`);
  if (foreign.length) problems.push(`${foreign.length} inbox rows for events this run never sent`);
  if (problems.length) throw new Error(`intake bench, ${runTag}: inbox check failed: ${problems.join("; ")}`);
  return { rows: rows.length };
}

/** The naive handler stores orders inline: every accepted request's order must be stored, once. */
export async function verifyOrders(dbFile: string, shop: string, runTag: string, accepted: string[]): Promise<{ rows: number }> {
  const orders = await withDb(dbFile, (db) => db.order.findMany({ where: { shop: { domain: shop } }, select: { externalId: true } }));
  const stored = new Set(orders.map((o) => o.externalId));
  const missing = accepted.filter((eventId) => !stored.has(orderIdOf(Number(eventId.slice(runTag.length + 1)))));
  const problems: string[] = [];
  if (missing.length) problems.push(`${missing.length} accepted orders not stored`);
  if (stored.size !== orders.length) problems.push(`${orders.length - stored.size} orders stored twice`);
  if (problems.length) throw new Error(`intake bench, ${runTag}: order check failed: ${problems.join("; ")}`);
  return { rows: orders.length };
}

/** Orders of the shop stored so far (to see how fast the in-process worker keeps up). */
export function countOrders(db: Db, shop: string): Promise<number> {
  return db.order.count({ where: { shop: { domain: shop } } });
}
