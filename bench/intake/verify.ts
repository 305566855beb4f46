import { openDatabase } from "../../app/.server/db/engine/open-database";
import type { Database } from "../../app/.server/db/engine/types";
import { orderIdOf } from "./payloads";

// Read-side checks of the intake bench, run on a run's database file after its server has exited.
// They read the inbox and orders tables with plain SELECTs on a connection of their own, never through the
// insert path, so they hold whatever SQL the app uses to write.

type Db = Database;

export async function withDb<T>(dbFile: string, use: (db: Db) => Promise<T>): Promise<T> {
  // No checkpoint thread: the server under test owns its file's checkpoints; this side only reads.
  const db = openDatabase(`file:${dbFile}`, { checkpointThread: false });
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

/** Every event answered 200 must be in the inbox exactly once; nothing we did not send may be there. */
export async function verifyInbox(dbFile: string, shop: string, runTag: string, accepted: string[]): Promise<{ rows: number }> {
  const rows = await withDb(dbFile, (db) => db.all<{ eventId: string }>(`SELECT "eventId" FROM "WebhookInbox" WHERE "shopDomain" = ?`, shop));
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
  const orders = await withDb(dbFile, (db) => db.all<{ externalId: string }>(`SELECT o."externalId" AS "externalId" FROM "Order" o JOIN "Shop" s ON s."id" = o."shopId" WHERE s."domain" = ?`, shop));
  const stored = new Set(orders.map((o) => o.externalId));
  const missing = accepted.filter((eventId) => !stored.has(orderIdOf(Number(eventId.slice(runTag.length + 1)))));
  const problems: string[] = [];
  if (missing.length) problems.push(`${missing.length} accepted orders not stored`);
  if (stored.size !== orders.length) problems.push(`${orders.length - stored.size} orders stored twice`);
  if (problems.length) throw new Error(`intake bench, ${runTag}: order check failed: ${problems.join("; ")}`);
  return { rows: orders.length };
}

/** Orders of the shop stored so far (to see how fast the in-process worker keeps up). */
export async function countOrders(db: Db, shop: string): Promise<number> {
  const row = await db.get<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "Order" o JOIN "Shop" s ON s."id" = o."shopId" WHERE s."domain" = ?`, shop);
  return Number(row?.n ?? 0);
}
