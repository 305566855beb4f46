import { database } from "~/.server/db/database";

// Reads and writes for tests, in plain portable SQL (quoted identifiers, `?` placeholders) on the run's
// database (SQLite under `npm test`, PostgreSQL under `npm run test:pg`).

export async function queryRows<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T[]> {
  return database().all<T>(text, ...params);
}

export async function queryRow<T = Record<string, unknown>>(text: string, ...params: unknown[]): Promise<T | undefined> {
  return database().get<T>(text, ...params);
}

/** One statement in its own transaction; returns the rows it changed. */
export async function execute(text: string, ...params: unknown[]): Promise<number> {
  return (await database().run(text, ...params)).changes;
}

/** A number from a COUNT/SUM query (0 for no rows or NULL). */
export async function queryNumber(text: string, ...params: unknown[]): Promise<number> {
  const row = await database().get<Record<string, unknown>>(text, ...params);
  const value = row ? Object.values(row)[0] : 0;
  return value === null || value === undefined ? 0 : Number(value);
}
