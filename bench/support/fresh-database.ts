// A bench's database: DATABASE_URL set (and any other env), the app's env read again, the schema migrated, `fn` run,
// and the app's connections closed after, whatever happens.

export async function onFreshDatabase<T>(url: string, fn: () => Promise<T>, env: Record<string, string> = {}): Promise<T> {
  process.env.DATABASE_URL = url;
  Object.assign(process.env, env);
  const { resetEnvForTests } = await import("../../app/.server/env");
  resetEnvForTests();
  const { database, closeAppDatabase } = await import("../../app/.server/db/database");
  const { migrate } = await import("../../app/.server/db/engine/migrate");
  try {
    await migrate(database());
    return await fn();
  } finally {
    await closeAppDatabase();
  }
}
