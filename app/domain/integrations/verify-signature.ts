import { createHmac, timingSafeEqual } from "node:crypto";

// Signing outgoing webhooks and checking them (ADR 0031), Stripe-style: the header
//   X-OMS-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>" with the endpoint's secret>
// A receiver checks it with `verifyWebhookSignature` (copy this file: it needs only node:crypto): the signature must
// match the raw body as received (before any JSON parsing), and the timestamp must be recent — a delivery captured
// and replayed later is refused even though its signature is genuine. Receivers should also ignore an
// X-OMS-Event-Id they have already handled (a resend carries the same id).

export const SIGNATURE_HEADER = "X-OMS-Signature";
export const EVENT_ID_HEADER = "X-OMS-Event-Id";
/** How old a signed timestamp may be (and how far in the future, for clock skew). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex");
}

/** The header value for `body` signed at `now`. */
export function signWebhook(secret: string, body: string, now: Date = new Date()): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${signatureOf(secret, t, body)}`;
}

export type VerifyResult = { ok: true; timestamp: number } | { ok: false; reason: "malformed" | "bad_signature" | "too_old" | "in_future" };

/**
 * Whether `header` signs `body` with `secret`, within `toleranceSeconds` of `now`. Several v1= values are accepted
 * (any may match), so a sender rotating its secret can sign with both.
 */
export function verifyWebhookSignature(input: { body: string; header: string | null | undefined; secret: string; now?: Date; toleranceSeconds?: number }): VerifyResult {
  const parts = (input.header ?? "").split(",").map((p) => p.trim().split("="));
  const t = parts.find(([k]) => k === "t")?.[1];
  const signatures = parts.filter(([k, v]) => k === "v1" && v && /^[0-9a-f]{64}$/.test(v)).map(([, v]) => v);
  if (!t || !/^\d{1,12}$/.test(t) || signatures.length === 0) return { ok: false, reason: "malformed" };
  const timestamp = Number(t);
  const expected = Buffer.from(signatureOf(input.secret, timestamp, input.body), "hex");
  if (!signatures.some((s) => timingSafeEqual(Buffer.from(s, "hex"), expected))) return { ok: false, reason: "bad_signature" };
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  if (timestamp < nowSeconds - tolerance) return { ok: false, reason: "too_old" };
  if (timestamp > nowSeconds + tolerance) return { ok: false, reason: "in_future" };
  return { ok: true, timestamp };
}
