import { afterEach, describe, expect, it, vi } from "vitest";
import { database } from "~/.server/db/database";
import { setQueue } from "~/.server/jobs/queue";
import { InProcessQueue } from "~/.server/queues/in-process-queue";
import type { JobQueue } from "~/.server/queues/queue-port";
import { loader } from "./healthz";

describe("GET /healthz", () => {
  afterEach(() => setQueue(undefined));

  it("is 200 with every part ok", async () => {
    setQueue(new InProcessQueue());
    const response = await loader();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, db: "ok", queue: "ok" });
  });

  it("is 503 naming the queue when it does not answer", async () => {
    const broken = Object.assign(new InProcessQueue(), { ping: async () => false }) as JobQueue;
    setQueue(broken);
    const response = await loader();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ ok: false, db: "ok", queue: "down" });
  });

  it("is 503 naming the database when it fails", async () => {
    setQueue(new InProcessQueue());
    const db = database();
    const failing = [vi.spyOn(db, "get"), vi.spyOn(db, "all")].map((spy) => spy.mockRejectedValue(new Error("disk gone")));
    try {
      const response = await loader();
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual({ ok: false, db: "down", queue: "ok" });
    } finally {
      for (const spy of failing) spy.mockRestore();
    }
  });
});
