import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PostgresDatabase } from "./postgres-database";
import { SqliteDatabase } from "./sqlite-database";
import type { Database, DialectName } from "./types";

// Schema migrations: one folder of plain SQL files per dialect (db/migrations/sqlite, db/migrations/postgres),
// the same names in both, applied in name order and recorded in "_migrations" with a checksum. All pending
// migrations apply in one transaction (both dialects have transactional DDL), under the write lock on SQLite
// and an advisory lock on PostgreSQL, so app and worker processes starting together migrate once.
// tests/integration/schema-parity.test.ts checks the two folders build the same tables, columns and indexes.

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function migrationsDir(dialect: DialectName, root = process.env.OMS_MIGRATIONS_DIR ?? path.resolve("db/migrations")): string {
  return path.join(root, dialect);
}

export function readMigrations(dialect: DialectName, dir = migrationsDir(dialect)): Migration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), "utf8");
      return { name: file.replace(/\.sql$/, ""), sql, checksum: createHash("sha256").update(sql).digest("hex").slice(0, 16) };
    });
}

const LEDGER = `CREATE TABLE IF NOT EXISTS "_migrations" ("name" TEXT PRIMARY KEY, "checksum" TEXT NOT NULL, "appliedAt" TEXT NOT NULL)`;
const ADVISORY_KEY = 72_616_463; // any constant: one migrator at a time per database

/** Apply what is pending; returns the names applied. Refuses a database whose applied files were edited. */
export async function migrate(db: Database, migrations = readMigrations(db.dialect)): Promise<string[]> {
  if (db instanceof SqliteDatabase) return migrateSqlite(db, migrations);
  if (db instanceof PostgresDatabase) return migratePostgres(db, migrations);
  throw new Error(`No migrator for ${db.dialect}`);
}

function pending(applied: { name: string; checksum: string }[], migrations: Migration[]): Migration[] {
  const byName = new Map(applied.map((a) => [a.name, a.checksum]));
  for (const [name, checksum] of byName) {
    const file = migrations.find((m) => m.name === name);
    if (!file) throw new Error(`Database has migration ${name}, which this code does not know: is the code older than the database?`);
    if (file.checksum !== checksum) throw new Error(`Migration ${name} was edited after it was applied (checksum ${checksum} → ${file.checksum}); add a new migration instead`);
  }
  return migrations.filter((m) => !byName.has(m.name));
}

async function migrateSqlite(db: SqliteDatabase, migrations: Migration[]): Promise<string[]> {
  const conn = db.connection;
  const legacy = conn.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
  const ours = conn.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'`).get();
  if (legacy && !ours) throw new Error(`${db.url} was created by an earlier version of the app (Prisma migrations); start from a new database file`);
  const applied: string[] = [];
  await db.exec(LEDGER);
  conn.exec("BEGIN IMMEDIATE");
  try {
    const todo = pending(conn.prepare(`SELECT "name","checksum" FROM "_migrations"`).all() as { name: string; checksum: string }[], migrations);
    for (const m of todo) {
      conn.exec(m.sql);
      conn.prepare(`INSERT INTO "_migrations" ("name","checksum","appliedAt") VALUES (?,?,?)`).run(m.name, m.checksum, new Date().toISOString());
      applied.push(m.name);
    }
    conn.exec("COMMIT");
  } catch (error) {
    if (conn.inTransaction) conn.exec("ROLLBACK");
    throw error;
  }
  return applied;
}

async function migratePostgres(db: PostgresDatabase, migrations: Migration[]): Promise<string[]> {
  const client = await db.pool.connect();
  const applied: string[] = [];
  try {
    await client.query("BEGIN");
    await client.query(`SELECT pg_advisory_xact_lock(${ADVISORY_KEY})`);
    await client.query(LEDGER);
    const rows = (await client.query(`SELECT "name","checksum" FROM "_migrations"`)).rows as { name: string; checksum: string }[];
    for (const m of pending(rows, migrations)) {
      await client.query(m.sql);
      await client.query(`INSERT INTO "_migrations" ("name","checksum","appliedAt") VALUES ($1,$2,$3)`, [m.name, m.checksum, new Date().toISOString()]);
      applied.push(m.name);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return applied;
}
