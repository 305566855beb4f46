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
