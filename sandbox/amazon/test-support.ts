// Test helpers: a hand-moved clock, a started stand-in, and a minimal SP-API client (LWA token + JSON fetch)
// built the way an app's client builds its requests.
import { startAmazonSandbox, type AmazonSandbox, type StartAmazonSandboxOptions } from "./server";

export class ManualClock {
  constructor(public t = Date.parse("2026-03-02T10:00:00Z")) {}
  now = (): number => this.t;
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
}

export interface SpResponse<T = unknown> { status: number; body: T; headers: Headers }

export interface SpClient {
  token: string;
  call<T = Record<string, unknown>>(method: string, pathAndQuery: string, body?: unknown, headers?: Record<string, string>): Promise<SpResponse<T>>;
}

export async function lwaToken(sandbox: AmazonSandbox): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "refresh_token",
    refresh_token: String(sandbox.lwa.refreshToken),
    client_id: sandbox.lwa.clientId,
    client_secret: sandbox.lwa.clientSecret,
  });
  const res = await fetch(`${sandbox.url}/auth/o2/token`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8" }, body: form });
  const json = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !json.access_token) throw new Error(`LWA exchange failed: ${res.status} ${JSON.stringify(json)}`);
  return json.access_token;
}

export async function spClient(sandbox: AmazonSandbox): Promise<SpClient> {
  const token = await lwaToken(sandbox);
  return {
    token,
    async call<T>(method: string, pathAndQuery: string, body?: unknown, headers: Record<string, string> = {}): Promise<SpResponse<T>> {
      const res = await fetch(`${sandbox.url}${pathAndQuery}`, {
        method,
        headers: { "x-amz-access-token": token, ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
    },
  };
}

export const SELLER = "A2SANDBOXTEST1";
export const MARKETPLACE = "ATVPDKIKX0DER";

/** A stand-in on a manual clock with three listings (SKU-1: 5, SKU-2: 0, SKU-3: 12 units). */
export async function startTestSandbox(options: StartAmazonSandboxOptions = {}): Promise<{ sandbox: AmazonSandbox; clock: ManualClock }> {
  const clock = new ManualClock();
  const sandbox = await startAmazonSandbox({
    sellerId: SELLER,
    now: clock.now,
    listings: [
      { sku: "SKU-1", productType: "LUGGAGE", quantity: 5, itemName: "Carry-on", priceMinor: 4999 },
      { sku: "SKU-2", productType: "LUGGAGE", quantity: 0 },
      { sku: "SKU-3", productType: "SHOES", quantity: 12, priceMinor: 8900 },
    ],
    ...options,
  });
  return { sandbox, clock };
}

export function listingPath(sku: string, query = `marketplaceIds=${MARKETPLACE}`): string {
  return `/listings/2021-08-01/items/${SELLER}/${encodeURIComponent(sku)}?${query}`;
}

export function quantityPatch(quantity: number, productType = "LUGGAGE") {
  return {
    productType,
    patches: [{ op: "replace", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity }] }],
  };
}
