import { appUrl } from "./app-url";

// The two calls the extension makes to the app (ADR 0028), each with a fresh session token as a Bearer token:
// GET …/journey and POST …/returns. The answers are plain data; the component words them.

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
export type ReturnAnswer = { kind: "started" } | { kind: "not_available" } | { kind: "session" } | { kind: "failed" };

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

export async function startReturn(token: SessionToken, orderGid: string): Promise<ReturnAnswer> {
  try {
    const response = await authorized(token, orderGid, "returns", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    if (response.ok) return { kind: "started" };
    // 501: the app does not take returns online yet (the store handles them); not an error of the customer's.
    if (response.status === 501) return { kind: "not_available" };
    if (response.status === 401) return { kind: "session" };
    return { kind: "failed" };
  } catch {
    return { kind: "failed" };
  }
}
