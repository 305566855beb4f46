import { describe, expect, it } from "vitest";
import { afterDeliveryFailure, DEFAULT_DELIVERY_POLICY, pauseReason } from "./delivery-policy";
import { checkEndpointUrl } from "./endpoint-url";

const t0 = new Date("2026-12-05T00:00:00Z");
const plus = (ms: number) => new Date(t0.getTime() + ms);

describe("delivery retries", () => {
  it("backs off from 30 s, doubling, capped at 1 h", () => {
    expect(afterDeliveryFailure(1, t0, t0)).toEqual({ status: "pending", nextAttemptAt: plus(30_000) });
    expect(afterDeliveryFailure(2, t0, plus(30_000))).toEqual({ status: "pending", nextAttemptAt: plus(90_000) });
    expect(afterDeliveryFailure(20, t0, plus(3_600_000))).toEqual({ status: "pending", nextAttemptAt: plus(7_200_000) });
  });

  it("gives a delivery up once its next try would fall more than 24 h after it was written", () => {
    expect(afterDeliveryFailure(30, t0, plus(23 * 3_600_000))).toEqual({ status: "pending", nextAttemptAt: plus(24 * 3_600_000) });
    expect(afterDeliveryFailure(31, t0, plus(23.5 * 3_600_000))).toEqual({ status: "failed" });
  });
});

describe("pausing an endpoint", () => {
  it("pauses after 24 h of failures without a success, or after too many in a row", () => {
    expect(pauseReason({ consecutiveFailures: 5, failingSince: t0 }, plus(23 * 3_600_000))).toBeNull();
    expect(pauseReason({ consecutiveFailures: 5, failingSince: t0 }, plus(24 * 3_600_000))).toMatch(/failed for 24 h/);
    expect(pauseReason({ consecutiveFailures: DEFAULT_DELIVERY_POLICY.maxConsecutiveFailures, failingSince: plus(-60_000) }, t0)).toMatch(/in a row/);
    expect(pauseReason({ consecutiveFailures: 0, failingSince: null }, t0)).toBeNull();
  });
});

describe("endpoint URLs", () => {
  it("takes https; http only to a loopback address when allowed; never credentials", () => {
    expect(checkEndpointUrl(" https://erp.example.com/hooks ", { allowHttpLoopback: false })).toEqual({ ok: true, url: "https://erp.example.com/hooks" });
    expect(checkEndpointUrl("http://erp.example.com/hooks", { allowHttpLoopback: true })).toMatchObject({ ok: false, reason: "url must be https" });
    expect(checkEndpointUrl("http://127.0.0.1:8080/h", { allowHttpLoopback: true })).toEqual({ ok: true, url: "http://127.0.0.1:8080/h" });
    expect(checkEndpointUrl("http://127.0.0.1:8080/h", { allowHttpLoopback: false })).toMatchObject({ ok: false });
    expect(checkEndpointUrl("https://user:pw@erp.example.com/", { allowHttpLoopback: false })).toMatchObject({ ok: false, reason: expect.stringContaining("password") });
    expect(checkEndpointUrl("ftp://erp.example.com/", { allowHttpLoopback: true })).toMatchObject({ ok: false });
    expect(checkEndpointUrl("not a url", { allowHttpLoopback: true })).toMatchObject({ ok: false });
  });

  it("in production, refuses https to the app's own network by address", () => {
    for (const internal of ["https://127.0.0.1/h", "https://localhost/h", "https://10.1.2.3/h", "https://172.20.0.5/h", "https://192.168.1.10/h", "https://169.254.169.254/latest", "https://[::1]/h", "https://[fd00::1]/h"]) {
      expect(checkEndpointUrl(internal, { allowHttpLoopback: false })).toMatchObject({ ok: false, reason: expect.stringContaining("private") });
    }
    expect(checkEndpointUrl("https://172.32.0.5/h", { allowHttpLoopback: false })).toMatchObject({ ok: true });
    expect(checkEndpointUrl("https://8.8.8.8/h", { allowHttpLoopback: false })).toMatchObject({ ok: true });
  });
});
