import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeEach, vi } from "vitest";
import { closeAppDatabase } from "~/.server/db/database";
import { createDatabase, dropDatabase, testPgAdminUrl } from "./test-database";

// A fresh database per test file, copied from the migrated template (fast, isolated): a SQLite file, or a
// PostgreSQL database when the run has a server (global-setup.ts).
const pgAdmin = testPgAdminUrl();
if (pgAdmin && process.env.OMS_TEST_PG_TEMPLATE) {
  const name = `${process.env.OMS_TEST_PG_PREFIX}${randomBytes(5).toString("hex")}`;
  process.env.DATABASE_URL = await createDatabase(pgAdmin, name, process.env.OMS_TEST_PG_TEMPLATE);
  afterAll(async () => {
    await closeAppDatabase();
    await dropDatabase(pgAdmin, name);
  });
} else {
  const dir = mkdtempSync(path.join(tmpdir(), "oms-test-"));
  const file = path.join(dir, "test.db");
  copyFileSync(process.env.OMS_TEST_TEMPLATE_DB!, file);
  process.env.DATABASE_URL = `file:${file}`;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
}
process.env.NODE_ENV = "test";
// Channel syncs run 1 ms after a change instead of at the end of a 250 ms window: tests that wait for the queue to
// go idle after every step would otherwise wait a window each time.
process.env.CHANNEL_SYNC_WINDOW_MS ??= "1";
process.env.SHOPIFY_API_KEY ??= "test-api-key";
process.env.SHOPIFY_API_SECRET ??= "test-api-secret";
process.env.SHOPIFY_APP_URL ??= "http://127.0.0.1:3999";

// A console.error during a test is a bug we have not noticed: fail the test.
let errors: string[] = [];
beforeEach(() => {
  errors = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    errors.push(args.map(String).join(" "));
  });
});
afterEach(() => {
  vi.mocked(console.error).mockRestore();
  if (errors.length > 0) throw new Error(`console.error was called:\n${errors.join("\n")}`);
});
