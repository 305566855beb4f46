import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startCheckpointer } from "./checkpointer";
import { openSqliteConnection } from "./sqlite-database";

const dir = mkdtempSync(path.join(tmpdir(), "oms-ckpt-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** [busy, frames in the WAL, frames already copied into the database] as a fresh connection sees them. */
function walState(file: string): { log: number; checkpointed: number } {
  const probe = openSqliteConnection(file);
  try {
    const [row] = probe.pragma("wal_checkpoint(NOOP)") as { busy: number; log: number; checkpointed: number }[];
    return { log: row.log, checkpointed: row.checkpointed };
  } catch {
    // NOOP is newer than some SQLite builds: PASSIVE reports the same two counts after trying.
    const [row] = probe.pragma("wal_checkpoint(PASSIVE)") as { busy: number; log: number; checkpointed: number }[];
    return { log: row.log, checkpointed: row.checkpointed };
  } finally {
    probe.close();
  }
}

describe("checkpoint thread", () => {
  it("copies committed WAL pages into the database file while the writer never checkpoints itself", async () => {
    const file = path.join(dir, "a.db");
    const writer = openSqliteConnection(file, { walAutocheckpointBytes: 0 }); // only the thread checkpoints
    writer.exec(`CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)`);
    const checkpointer = startCheckpointer(file, 20);
    const insert = writer.prepare(`INSERT INTO t (v) VALUES (?)`);
    for (let batch = 0; batch < 20; batch++) writer.transaction(() => { for (let i = 0; i < 100; i++) insert.run("x".repeat(500)); })();
    const sizeBefore = statSync(file).size;

    await expect.poll(() => statSync(file).size, { timeout: 5_000, interval: 25 }).toBeGreaterThan(sizeBefore * 10);
    await checkpointer.stop();
    const { log, checkpointed } = walState(file);
    expect(checkpointed).toBe(log); // nothing committed is left only in the WAL
    expect((writer.prepare(`SELECT COUNT(*) AS n FROM t`).get() as { n: number }).n).toBe(2_000);
    writer.close();
  });

  it("stops promptly and can be stopped twice", async () => {
    const file = path.join(dir, "b.db");
    const writer = openSqliteConnection(file);
    const checkpointer = startCheckpointer(file, 1_000);
    const started = Date.now();
    await Promise.all([checkpointer.stop(), checkpointer.stop()]);
    expect(Date.now() - started).toBeLessThan(2_000);
    writer.close();
  });
});
