import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TOKEN_EXCHANGE_GRANT, ID_TOKEN_TYPE, OFFLINE_TOKEN_TYPE, ONLINE_TOKEN_TYPE } from "./token-exchange";
import { verifySessionToken } from "./session-token";
import { startTestSandbox, TEST_APP, TEST_SHOP } from "./test-support";

type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;
let sandbox: Sandbox;
beforeEach(async () => {
  sandbox = await startTestSandbox();
});
afterEach(() => sandbox.close());

async function exchange(body: Record<string, string>, form = false) {
  const res = await fetch(`${sandbox.url}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "Content-Type": form ? "application/x-www-form-urlencoded" : "application/json", "X-Shopify-Shop-Domain": TEST_SHOP },
    body: form ? new URLSearchParams(body).toString() : JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- loose JSON the tests walk into
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}
const request = (subjectToken: string, extra: Record<string, string> = {}) => ({
  client_id: TEST_APP.apiKey, client_secret: TEST_APP.apiSecret, grant_type: TOKEN_EXCHANGE_GRANT,
  subject_token: subjectToken, subject_token_type: ID_TOKEN_TYPE, requested_token_type: OFFLINE_TOKEN_TYPE, ...extra,
});
const canQuery = async (token: string) => (await sandbox.gql("{ shop { id } }", {}, { token })).status === 200;

describe("token exchange", () => {
  it("exchanges a session token for an offline access token that works on the GraphQL API", async () => {
    const { status, body } = await exchange(request(sandbox.mintSessionToken(TEST_SHOP)));
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(["access_token", "scope"]);
    expect(body.scope).toContain("read_orders");
    expect(await canQuery(body.access_token)).toBe(true);
  });

  it("issues expiring offline tokens with a refresh token, and refreshing rotates them", async () => {
    const { body } = await exchange(request(sandbox.mintSessionToken(TEST_SHOP), { expiring: "1" }), true);
    expect(body).toMatchObject({ expires_in: 3600, refresh_token_expires_in: 7776000, refresh_token: expect.stringMatching(/^shprt_/) });
    const refreshed = await exchange({ client_id: TEST_APP.apiKey, client_secret: TEST_APP.apiSecret, grant_type: "refresh_token", refresh_token: body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(body.access_token);
    expect(await canQuery(refreshed.body.access_token)).toBe(true);
    expect(await canQuery(body.access_token)).toBe(false); // the old one is gone
    const reused = await exchange({ client_id: TEST_APP.apiKey, client_secret: TEST_APP.apiSecret, grant_type: "refresh_token", refresh_token: body.refresh_token });
    expect(reused).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("issues online tokens with the associated user", async () => {
    const { body } = await exchange(request(sandbox.mintSessionToken(TEST_SHOP, { userId: 42 }), { requested_token_type: ONLINE_TOKEN_TYPE }));
    expect(body).toMatchObject({ expires_in: 86399, associated_user: { id: 42 }, access_token: expect.stringMatching(/^shpua_/) });
  });

  it.each([
    ["a wrong audience", { audience: "someone-else" }],
    ["an expired token", { expired: true }],
    ["another app's secret", { secret: "not-the-secret" }],
  ])("rejects %s with invalid_subject_token", async (_label, opts) => {
    const token = sandbox.mintSessionToken(TEST_SHOP, opts);
    expect(verifySessionToken(token, TEST_APP).ok).toBe(false);
    const { status, body } = await exchange(request(token));
    expect(status).toBe(400);
    expect(body).toEqual({ error: "invalid_subject_token", error_description: "Token exchange cannot be performed due to an invalid subject token." });
  });

  it("rejects a session token minted for another shop", async () => {
    const { status, body } = await exchange(request(sandbox.mintSessionToken("other-shop.myshopify.com")));
    expect([status, body.error]).toEqual([400, "invalid_subject_token"]);
  });

  it("answers 401 invalid_client for a wrong client secret", async () => {
    const { status, body } = await exchange({ ...request(sandbox.mintSessionToken(TEST_SHOP)), client_secret: "nope" });
    expect(status).toBe(401);
    expect(body.error).toBe("invalid_client");
  });
});
