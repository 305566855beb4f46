import { env } from "../env";
import { openDatabase } from "./engine/open-database";
import type { Database } from "./engine/types";

// The process's database (DATABASE_URL: `file:` SQLite, `postgres://` PostgreSQL), opened on first use.
// Repositories take a `Queryable` (the database, or a transaction) first, then the shop.

export type { Database, Queryable, Tx } from "./engine/types";
export { RetryableConflict } from "./engine/types";

let current: Database | undefined;

export function database(): Database {
  const url = env().DATABASE_URL;
  if (!current || current.url !== url) {
    const previous = current;
    current = openDatabase(url, { poolSize: env().DATABASE_POOL_SIZE });
    void previous?.close();
  }
  return current;
}

/** Close the process's database (shutdown, and between test files). */
export async function closeAppDatabase(): Promise<void> {
  const closing = current;
  current = undefined;
  await closing?.close();
}
