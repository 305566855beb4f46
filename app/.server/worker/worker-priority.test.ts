import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

// In a child process: lowering the priority of the test runner itself would slow every test after it.
function priorityAfterLowering(env: Record<string, string>): number {
  const module = path.resolve("app/.server/worker/worker-priority.ts");
  const out = execFileSync(process.execPath, ["--import", "tsx", "-e", `import(${JSON.stringify(module)}).then((m) => console.log(m.lowerWorkerPriority()))`], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return Number(out.trim().split("\n").pop());
}

describe("lowerWorkerPriority", () => {
  it("runs a worker process at WORKER_NICE (default 10)", () => {
    expect(priorityAfterLowering({ WORKER_NICE: "7" })).toBe(7);
    expect(priorityAfterLowering({})).toBe(10);
  });

  it("refuses a priority outside 0–19 at startup", () => {
    expect(() => priorityAfterLowering({ WORKER_NICE: "25" })).toThrow();
  });
});
