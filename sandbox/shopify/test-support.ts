// Helpers for the sandbox's own tests: a sandbox on a free port and a GraphQL caller.
import { startShopifySandbox, type ShopifySandbox, type StartShopifySandboxOptions } from "./server";

export const TEST_SHOP = "demo-oms.myshopify.com";
export const TEST_APP = { apiKey: "test-api-key", apiSecret: "test-api-secret" };

/* eslint-disable @typescript-eslint/no-explicit-any -- test responses are loose JSON that tests walk into */
export interface GqlResponse {
  status: number;
  body: {
    data?: Record<string, any> | null;
    errors?: Array<{ message: string; extensions?: Record<string, any>; path?: unknown[] }> | string;
    extensions?: Record<string, any>;
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export async function startTestSandbox(opts: Partial<StartShopifySandboxOptions> = {}): Promise<ShopifySandbox & { token: string; gql: Gql }> {
  const sandbox = await startShopifySandbox({ ...TEST_APP, appUrl: "http://127.0.0.1:9", ...opts });
  const token = sandbox.issueAccessToken(TEST_SHOP);
  const gql: Gql = (query, variables = {}, o = {}) => callGraphql(sandbox.url, query, variables, { token, ...o });
  return Object.assign(sandbox, { token, gql });
}

type Gql = (query: string, variables?: Record<string, unknown>, opts?: { token?: string | null; version?: string; shop?: string }) => Promise<GqlResponse>;

/** Posts to the sandbox directly, naming the shop with X-Shopify-Shop-Domain (no traffic routing needed). */
export async function callGraphql(
  baseUrl: string, query: string, variables: Record<string, unknown>, opts: { token?: string | null; version?: string; shop?: string },
): Promise<GqlResponse> {
  const headers: Record<string, string> = { "Content-Type": "application/json", "X-Shopify-Shop-Domain": opts.shop ?? TEST_SHOP };
  if (opts.token) headers["X-Shopify-Access-Token"] = opts.token;
  const res = await fetch(`${baseUrl}/admin/api/${opts.version ?? "2026-01"}/graphql.json`, {
    method: "POST", headers, body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GqlResponse["body"] };
}
