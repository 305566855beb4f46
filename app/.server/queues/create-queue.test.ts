import { afterEach, describe, expect, it } from "vitest";
import { resetEnvForTests } from "../env";
import { createQueue } from "./create-queue";

describe("createQueue", () => {
  const saved = process.env.REDIS_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = saved;
    resetEnvForTests();
  });

  it("runs jobs in process when no Redis URL is configured", async () => {
    delete process.env.REDIS_URL;
    resetEnvForTests();
    const queue = createQueue();
    expect(queue.driver).toBe("in-process");
    await queue.close();
  });

  it("uses Bull when given a Redis URL (connecting only when first used)", async () => {
    const queue = createQueue({ redisUrl: "redis://127.0.0.1:1" });
    expect(queue.driver).toBe("bull");
    await queue.close();
  });
});
