import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

// Throwaway PostgreSQL databases for `npm run test:pg`: one migrated template per run, and a copy of it per
// test file (CREATE DATABASE … TEMPLATE copies files: milliseconds, fully isolated). TEST_PG_URL names the
// server (an admin connection, e.g. postgres://postgres@127.0.0.1:55432/postgres); .ci/run starts one.

export function testPgAdminUrl(): string | undefined {
  return process.env.TEST_PG_URL || undefined;
}

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`Unexpected database name ${name}`);
  return `"${name}"`;
};

export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  await withAdmin(adminUrl, async (c) => {
    // Two files copying one template at the same instant: PostgreSQL allows one copy at a time ("source
    // database is being accessed by other users"); wait and try again.
    for (let attempt = 0; ; attempt++) {
      try {
        await c.query(`CREATE DATABASE ${ident(name)}${template ? ` TEMPLATE ${ident(template)}` : ""}`);
        return;
      } catch (error) {
        if (!/being accessed by other users/.test(String(error)) || attempt > 200) throw error;
        await new Promise((resolve) => setTimeout(resolve, 25 + Math.random() * 50));
      }
    }
  });
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
}

export async function dropDatabasesLike(adminUrl: string, prefix: string): Promise<void> {
  await withAdmin(adminUrl, async (c) => {
    const { rows } = await c.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${prefix}%`]);
    for (const { datname } of rows as { datname: string }[]) await c.query(`DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`);
  });
}

/**
 * A fresh database migrated like every test file's (a copy of the run's template), for a child process that
 * needs its own: a SQLite file, or a PostgreSQL database under `npm run test:pg`. `drop` removes it.
 */
export async function freshDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = testPgAdminUrl();
  if (adminUrl && process.env.OMS_TEST_PG_TEMPLATE) {
    const name = `${process.env.OMS_TEST_PG_PREFIX}${label}_${randomBytes(4).toString("hex")}`;
    const url = await createDatabase(adminUrl, name, process.env.OMS_TEST_PG_TEMPLATE);
    return { url, drop: () => dropDatabase(adminUrl, name) };
  }
  const dir = mkdtempSync(path.join(tmpdir(), `oms-${label}-`));
  const file = path.join(dir, `${label}.db`);
  copyFileSync(process.env.OMS_TEST_TEMPLATE_DB!, file);
  return { url: `file:${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
}
