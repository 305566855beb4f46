import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { openDatabase } from "~/.server/db/engine/open-database";
import { migrate } from "~/.server/db/engine/migrate";
import { createDatabase, dropDatabasesLike, testPgAdminUrl } from "./test-database";

// Migrate one template database per test run (unique per run, so parallel runs never collide); every test
// file copies it (see setup-file.ts). SQLite by default; PostgreSQL when TEST_PG_URL names a server
// (`npm run test:pg`).

export default async function setup(): Promise<() => Promise<void>> {
  const adminUrl = testPgAdminUrl();
  if (adminUrl) {
    const prefix = `oms_t${process.pid}_`;
    const template = `${prefix}template`;
    const url = await createDatabase(adminUrl, template);
    const db = openDatabase(url, { poolSize: 1 });
    try {
      await migrate(db);
    } finally {
      await db.close();
    }
    process.env.OMS_TEST_PG_TEMPLATE = template; // inherited by the test workers
    process.env.OMS_TEST_PG_PREFIX = prefix;
    return () => dropDatabasesLike(adminUrl, prefix);
  }

  const template = path.resolve(`.cache/test-template-${process.pid}.db`);
  mkdirSync(path.dirname(template), { recursive: true });
  const db = openDatabase(`file:${template}`, { checkpointThread: false });
  try {
    await migrate(db);
  } finally {
    await db.close(); // the last connection to close folds the WAL into the file the workers copy
  }
  process.env.OMS_TEST_TEMPLATE_DB = template; // inherited by the test workers
  return async () => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(template + suffix, { force: true });
  };
}
