import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { env } from "../env";

// The only place that constructs Prisma. SQLite runs in WAL mode with a busy timeout so the web
// process and a worker can share one file; the pragmas are connection settings, not schema.

let client: PrismaClient | undefined;
let ready: Promise<void> | undefined;

export function sqliteFilePath(url: string): string {
  return url.replace(/^file:/, "");
}

export function createPrismaClient(url: string): PrismaClient {
  const adapter = new PrismaBetterSQLite3({ url: sqliteFilePath(url), timeout: 5_000 });
  return new PrismaClient({ adapter });
}

/** Shared client for the process (lazy: tests set DATABASE_URL before first use). */
export function db(): PrismaClient {
  if (!client) {
    client = createPrismaClient(env().DATABASE_URL);
    ready = configureSqlite(client);
  }
  return client;
}

/** Resolves once connection pragmas are applied; call at start-up before heavy work. */
export async function dbReady(): Promise<PrismaClient> {
  const c = db();
  await ready;
  return c;
}

async function configureSqlite(c: PrismaClient): Promise<void> {
  await c.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await c.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
  await c.$queryRawUnsafe("PRAGMA foreign_keys = ON");
}

export async function disconnectDb(): Promise<void> {
  if (client) await client.$disconnect();
  client = undefined;
  ready = undefined;
}
