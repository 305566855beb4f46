import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AmazonSandbox } from "./server";
import { listingPath, quantityPatch, spClient, startTestSandbox, type SpClient } from "./test-support";

let sandbox: AmazonSandbox;
let client: SpClient;
beforeEach(async () => {
  ({ sandbox } = await startTestSandbox({ rateLimits: { patchListingsItem: { rate: 5, burst: 2 } } }));
  client = await spClient(sandbox);
});
afterEach(() => sandbox.close());

describe("fault injection", () => {
  it("fails the next N calls of one operation with 503 / 500 in Amazon's error shape, then serves normally", async () => {
    sandbox.faults.inject("patchListingsItem", { kind: 503, times: 2 });
    sandbox.faults.inject("patchListingsItem", { kind: 500 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const res = await client.call<{ errors: { code: string }[] }>("PATCH", listingPath("SKU-1"), quantityPatch(30 + i));
      statuses.push(res.status);
      expect(res.body.errors[0].code).toBe(res.status === 503 ? "ServiceUnavailable" : "InternalFailure");
      expect(res.headers.get("x-amzn-ratelimit-limit")).toBe("5");
    }
    expect(statuses).toEqual([503, 503, 500]);
    expect(sandbox.acceptedQuantity("SKU-1")).toBe(5); // nothing applied by a failed call
    // other operations are untouched, and faults did not use the quota (burst 2)
    expect((await client.call("GET", listingPath("SKU-1"))).status).toBe(200);
    expect((await client.call("PATCH", listingPath("SKU-1"), quantityPatch(40))).status).toBe(200);
    expect((await client.call("PATCH", listingPath("SKU-1"), quantityPatch(41))).status).toBe(200);
    expect(sandbox.acceptedQuantity("SKU-1")).toBe(41);
    expect(sandbox.faults.served.map((f) => f.kind)).toEqual([503, 503, 500]);
  });

  it("a timeout fault leaves the request unanswered until the client gives up", async () => {
    sandbox.faults.inject("getListingsItem", { kind: "timeout" });
    const started = Date.now();
    await expect(
      fetch(`${sandbox.url}${listingPath("SKU-1")}`, { headers: { "x-amz-access-token": client.token }, signal: AbortSignal.timeout(60) }),
    ).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(50);
    expect((await client.call("GET", listingPath("SKU-1"))).status).toBe(200);
  });

  it("a timeout fault with hangMs resets the connection", async () => {
    sandbox.faults.inject("*", { kind: "timeout", hangMs: 5 });
    await expect(fetch(`${sandbox.url}${listingPath("SKU-1")}`, { headers: { "x-amz-access-token": client.token } })).rejects.toThrow();
    expect(sandbox.faults.pending("*")).toBe(0);
  });

  it("is reachable through the control API", async () => {
    const res = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ operation: "getListingsItem", kind: 503, times: 1 }) });
    expect(res.status).toBe(201);
    expect((await client.call("GET", listingPath("SKU-1"))).status).toBe(503);
    expect((await client.call("GET", listingPath("SKU-1"))).status).toBe(200);
    const bad = await fetch(`${sandbox.url}/_sandbox/faults`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ operation: "getEverything", kind: 503 }) });
    expect(bad.status).toBe(400);
  });
});
