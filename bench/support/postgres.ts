import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDatabase, dropDatabase } from "../../tests/support/test-database";

// A fresh PostgreSQL database for one benchmark, dropped afterwards. The server: BENCH_PG_URL or TEST_PG_URL
// (an admin connection, e.g. postgres://postgres@127.0.0.1:55432/postgres) when set; otherwise a throwaway
// cluster on loopback started with scripts/pg-throwaway.sh and stopped by pid afterwards. Without either,
// an error says so: `npm run bench` measures both databases, it does not skip one quietly.

export function benchPgAdminUrl(): string | undefined {
  return process.env.BENCH_PG_URL || process.env.TEST_PG_URL || undefined;
}

function hasPostgresBinaries(): boolean {
  const root = "/usr/lib/postgresql";
  return existsSync(root) && readdirSync(root).some((version) => existsSync(path.join(root, version, "bin", "initdb")));
}

/** Runs `fn` with the URL of a new, empty database (not migrated), then drops it (and the throwaway server). */
export async function withBenchPostgres<T>(label: string, fn: (url: string) => Promise<T>): Promise<T> {
  let admin = benchPgAdminUrl();
  let cluster: string | undefined;
  if (!admin) {
    if (!hasPostgresBinaries()) {
      throw new Error(
        "PostgreSQL figures need a server: set BENCH_PG_URL (or TEST_PG_URL) to an admin URL such as postgres://postgres@127.0.0.1:5432/postgres, " +
          "or install Debian's postgresql package (apt-get install postgresql) so the bench can start a throwaway cluster with scripts/pg-throwaway.sh.",
      );
    }
    cluster = mkdtempSync(path.join(tmpdir(), "oms-bench-pg-"));
    admin = execFileSync(path.resolve("scripts/pg-throwaway.sh"), ["start", cluster], { encoding: "utf8" }).trim().split("\n").pop()!;
  }
  const name = `oms_bench_${label}_${randomBytes(4).toString("hex")}`;
  try {
    const url = await createDatabase(admin, name);
    return await fn(url);
  } finally {
    if (cluster) execFileSync(path.resolve("scripts/pg-throwaway.sh"), ["stop", cluster], { stdio: "ignore" });
    else await dropDatabase(admin, name);
  }
}
