import { describe, expect, it } from "vitest";
import { signWebhook, verifyWebhookSignature } from "./verify-signature";

const secret = "whsec_test";
const body = JSON.stringify({ id: "evt_1.order.created", topic: "order.created", data: { order: { id: "o1" } } });
const at = new Date("2026-12-05T12:00:00Z");

describe("webhook signatures", () => {
  it("accepts what it signed, at the time it was signed and within the tolerance", () => {
    const header = signWebhook(secret, body, at);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ body, header, secret, now: at })).toEqual({ ok: true, timestamp: at.getTime() / 1000 });
    expect(verifyWebhookSignature({ body, header, secret, now: new Date(at.getTime() + 299_000) }).ok).toBe(true);
  });

  it("refuses a changed body, another secret, and a missing or malformed header", () => {
    const header = signWebhook(secret, body, at);
    expect(verifyWebhookSignature({ body: body.replace("o1", "o2"), header, secret, now: at })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyWebhookSignature({ body, header, secret: "whsec_other", now: at })).toEqual({ ok: false, reason: "bad_signature" });
    expect(verifyWebhookSignature({ body, header: null, secret, now: at })).toEqual({ ok: false, reason: "malformed" });
    expect(verifyWebhookSignature({ body, header: "v1=abc", secret, now: at })).toEqual({ ok: false, reason: "malformed" });
    // the timestamp is signed: moving it forward to look fresh breaks the signature
    const forged = header.replace(/^t=\d+/, `t=${at.getTime() / 1000 + 600}`);
    expect(verifyWebhookSignature({ body, header: forged, secret, now: new Date(at.getTime() + 600_000) })).toEqual({ ok: false, reason: "bad_signature" });
  });

  it("refuses a genuine delivery replayed more than 5 minutes later (and one dated in the future)", () => {
    const header = signWebhook(secret, body, at);
    expect(verifyWebhookSignature({ body, header, secret, now: new Date(at.getTime() + 301_000) })).toEqual({ ok: false, reason: "too_old" });
    expect(verifyWebhookSignature({ body, header, secret, now: new Date(at.getTime() - 301_000) })).toEqual({ ok: false, reason: "in_future" });
  });

  it("accepts any of several v1 signatures (a secret being rotated)", () => {
    const header = signWebhook(secret, body, at);
    const other = signWebhook("whsec_old", body, at).split(",")[1];
    expect(verifyWebhookSignature({ body, header: `${header},${other}`, secret, now: at }).ok).toBe(true);
  });
});
