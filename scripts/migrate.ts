// `npm run db:migrate`: apply the pending migrations of db/migrations/<dialect> to DATABASE_URL (`file:` SQLite,
// `postgres://` PostgreSQL). Safe to run twice and from several processes at once (the migrator takes the
// database's write lock / an advisory lock). The app and the demo migrate the same way on start.

import { migrate } from "../app/.server/db/engine/migrate";
import { openDatabase } from "../app/.server/db/engine/open-database";
import { env } from "../app/.server/env";

const url = env().DATABASE_URL;
const db = openDatabase(url, { poolSize: 1, checkpointThread: false });
try {
  const applied = await migrate(db);
  console.log(applied.length === 0 ? `${redacted(url)}: up to date` : `${redacted(url)}: applied ${applied.join(", ")}`);
} catch (error) {
  console.error(`migration failed on ${redacted(url)}: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await db.close();
}

/** The URL without its password, for logs. */
function redacted(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1:***@");
}
