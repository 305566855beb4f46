import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";

// Migrate one template database per test run (unique per run, so parallel runs never collide);
// every test file copies it (see setup-file.ts).

export default function setup(): () => void {
  const template = path.resolve(`.cache/test-template-${process.pid}.db`);
  mkdirSync(path.dirname(template), { recursive: true });
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${template}` },
    stdio: "pipe",
  });
  process.env.OMS_TEST_TEMPLATE_DB = template; // inherited by the test workers
  return () => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(template + suffix, { force: true });
  };
}
