import BetterSqlite3 from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteConnection, SQLITE_PAGE_SIZE } from "./sqlite-database";

// ADR 0039: a database this app creates uses 16 KiB pages; one created before keeps its own and still works.

const dir = mkdtempSync(path.join(tmpdir(), "oms-pages-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pragma = (conn: BetterSqlite3.Database, name: string) => conn.pragma(name, { simple: true }) as number | string;

describe("SQLite page size", () => {
  it("a new database file gets 16 KiB pages, in WAL mode, and the WAL budget is counted in bytes", () => {
    const conn = openSqliteConnection(path.join(dir, "new.db"));
    conn.exec(`CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)`);
    expect(SQLITE_PAGE_SIZE).toBe(16_384);
    expect(pragma(conn, "page_size")).toBe(16_384);
    expect(pragma(conn, "journal_mode")).toBe("wal");
    expect(pragma(conn, "wal_autocheckpoint")).toBe(1024); // 16 MiB of 16 KiB pages
    conn.close();
  });

  it("an existing 4 KiB-page database keeps its page size, its rows and its WAL budget in bytes", () => {
    const file = path.join(dir, "old.db");
    const old = new BetterSqlite3(file);
    old.pragma("page_size = 4096");
    old.pragma("journal_mode = WAL");
    old.exec(`CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT); INSERT INTO t (v) VALUES ('kept')`);
    old.close();

    const conn = openSqliteConnection(file, { walAutocheckpointBytes: 256 * 1024 * 1024 });
    expect(pragma(conn, "page_size")).toBe(4096);
    expect(pragma(conn, "wal_autocheckpoint")).toBe(65_536);
    conn.prepare(`INSERT INTO t (v) VALUES (?)`).run("added");
    expect(conn.prepare(`SELECT v FROM t ORDER BY k`).pluck().all()).toEqual(["kept", "added"]);
    expect(pragma(conn, "integrity_check")).toBe("ok");
    conn.close();
  });
});
