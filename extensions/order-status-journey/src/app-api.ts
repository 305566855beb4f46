import { appUrl } from "./app-url";

// The calls the extension makes to the app (ADR 0028, 0036), each with a fresh session token as a Bearer token:
// GET …/journey, GET …/returns (what can be returned) and POST …/returns. The answers are plain data; the
// component words them.

export type JourneyState = "cancelled" | "delivered" | "shipped" | "partly_shipped" | "waiting_for_stock" | "preparing";
export type StepKey = "ordered" | "being_prepared" | "partly_shipped" | "shipped" | "delivered" | "cancelled";

/** What GET /customer-account/orders/:orderGid/journey answers (app/domain/portal/journey.ts, JourneyFacts). */
export interface Journey {
  name: string;
  placedOn: string;
  state: JourneyState;
  units: { ordered: number; shipped: number; backordered: number };
  steps: { key: StepKey; done: boolean }[];
  backorder: { units: number; expectedOn: string | null } | null;
  shipments: { carrier: string | null; shippedOn: string | null; units: number; tracking: { number: string; url: string | null }[] }[];
}

export type JourneyAnswer = { kind: "found"; journey: Journey } | { kind: "not_found" } | { kind: "failed" };
export type ReturnStatus = "requested" | "approved" | "declined" | "in_transit" | "received" | "inspected" | "refunded" | "exchanged" | "closed";

/** What GET /customer-account/orders/:orderGid/returns answers. */
export interface ReturnOptions {
  reasons: { code: string; label: string }[];
  lines: { lineItemId: string; title: string; sku: string | null; returnable: number; message: string | null }[];
  returns: { number: string; status: ReturnStatus; createdAt: string; labelUrl: string | null }[];
}

/** The RMA POST …/returns answers. */
export interface StartedReturn {
  number: string;
  status: ReturnStatus;
  labelUrl: string | null;
  lines: { lineItemId: string | null; title: string; quantity: number; reason: string }[];
}

export type OptionsAnswer = { kind: "found"; options: ReturnOptions } | { kind: "session" } | { kind: "failed" };
/** `refused`: the store's policy or the order refused the request (the message says why, in the app's words). */
export type ReturnAnswer = { kind: "started"; rma: StartedReturn } | { kind: "refused"; message: string } | { kind: "session" } | { kind: "failed" };

export interface ReturnChoice {
  lineItemId: string;
  quantity: number;
  reason: string;
}

interface SessionToken {
  get(): Promise<string>;
}

const path = (orderGid: string, what: "journey" | "returns") => `${appUrl()}/customer-account/orders/${encodeURIComponent(orderGid)}/${what}`;

async function authorized(token: SessionToken, orderGid: string, what: "journey" | "returns", init: RequestInit = {}): Promise<Response> {
  const bearer = await token.get();
  return fetch(path(orderGid, what), { ...init, headers: { ...(init.headers as Record<string, string> | undefined), Authorization: `Bearer ${bearer}` } });
}

export async function loadJourney(token: SessionToken, orderGid: string): Promise<JourneyAnswer> {
  try {
    const response = await authorized(token, orderGid, "journey");
    // 404: an order the app does not know for this customer (placed before the app was installed, another channel).
    if (response.status === 404) return { kind: "not_found" };
    if (!response.ok) return { kind: "failed" };
    const body = (await response.json()) as { journey?: Journey };
    return body.journey ? { kind: "found", journey: body.journey } : { kind: "failed" };
  } catch {
    return { kind: "failed" };
  }
}

export async function loadReturnOptions(token: SessionToken, orderGid: string): Promise<OptionsAnswer> {
  try {
    const response = await authorized(token, orderGid, "returns");
    if (response.status === 401) return { kind: "session" };
    if (!response.ok) return { kind: "failed" };
    const body = (await response.json()) as Partial<ReturnOptions>;
    return Array.isArray(body.lines) && Array.isArray(body.reasons) && Array.isArray(body.returns) ? { kind: "found", options: body as ReturnOptions } : { kind: "failed" };
  } catch {
    return { kind: "failed" };
  }
}

export async function startReturn(token: SessionToken, orderGid: string, lines: ReturnChoice[]): Promise<ReturnAnswer> {
  try {
    const response = await authorized(token, orderGid, "returns", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ lines }) });
    if (response.status === 401) return { kind: "session" };
    if (response.ok) {
      const body = (await response.json()) as { return?: StartedReturn };
      return body.return ? { kind: "started", rma: body.return } : { kind: "failed" };
    }
    // 400/422/409: the request is not one the store takes (more than can be returned, window closed…): say why.
    if (response.status === 400 || response.status === 409 || response.status === 422) {
      const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
      return { kind: "refused", message: String(body.error?.message ?? "").slice(0, 500) };
    }
    return { kind: "failed" };
  } catch {
    return { kind: "failed" };
  }
}
