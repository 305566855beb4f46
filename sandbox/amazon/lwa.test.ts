import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AmazonSandbox } from "./server";
import { listingPath, lwaToken, startTestSandbox, type ManualClock } from "./test-support";

let sandbox: AmazonSandbox;
let clock: ManualClock;
beforeEach(async () => ({ sandbox, clock } = await startTestSandbox()));
afterEach(() => sandbox.close());

async function exchange(fields: Record<string, string>, contentType = "application/x-www-form-urlencoded") {
  const res = await fetch(`${sandbox.url}/auth/o2/token`, { method: "POST", headers: { "Content-Type": contentType }, body: new URLSearchParams(fields) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const good = () => ({ grant_type: "refresh_token", refresh_token: String(sandbox.lwa.refreshToken), client_id: sandbox.lwa.clientId, client_secret: sandbox.lwa.clientSecret });

async function getListing(token?: string) {
  const res = await fetch(`${sandbox.url}${listingPath("SKU-1")}`, { headers: token ? { "x-amz-access-token": token } : {} });
  return { status: res.status, body: (await res.json()) as { errors?: { code: string; message: string; details: string }[] } };
}

describe("Login with Amazon", () => {
  it("trades the refresh token for a bearer access token that lives 3600 s", async () => {
    const { status, body } = await exchange(good());
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: "bearer", expires_in: 3600, refresh_token: sandbox.lwa.refreshToken });
    expect(String(body.access_token)).toMatch(/^Atza\|/);
    expect((await getListing(String(body.access_token))).status).toBe(200);
  });

  it("refuses a wrong client secret with invalid_client and a wrong refresh token with invalid_grant", async () => {
    const badClient = await exchange({ ...good(), client_secret: "nope" });
    expect(badClient.status).toBe(400);
    expect(badClient.body).toMatchObject({ error: "invalid_client" });
    expect(typeof badClient.body.error_description).toBe("string");
    const badGrant = await exchange({ ...good(), refresh_token: "Atzr|someone-else" });
    expect(badGrant).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("refuses missing fields, other grant types and JSON bodies", async () => {
    const { client_secret: _omitted, ...noSecret } = good();
    expect((await exchange(noSecret)).body).toMatchObject({ error: "invalid_request" });
    expect((await exchange({ ...good(), grant_type: "authorization_code" })).body).toMatchObject({ error: "unsupported_grant_type" });
    expect((await exchange(good(), "application/json")).status).toBe(400);
  });

  it("answers SP-API calls without a token, with a bad token and with an expired token with 403 Unauthorized", async () => {
    const none = await getListing();
    expect(none.status).toBe(403);
    expect(none.body.errors?.[0]).toMatchObject({ code: "Unauthorized", message: "Access to requested resource is denied." });

    expect((await getListing("Atza|forged")).body.errors?.[0].details).toMatch(/revoked, malformed or invalid/);

    const token = await lwaToken(sandbox);
    clock.advance(3599_000);
    expect((await getListing(token)).status).toBe(200);
    clock.advance(1000);
    const expired = await getListing(token);
    expect(expired.status).toBe(403);
    expect(expired.body.errors?.[0]).toMatchObject({ code: "Unauthorized", details: "The access token you provided has expired." });

    const fresh = await lwaToken(sandbox); // a client refreshes and carries on
    expect((await getListing(fresh)).status).toBe(200);
  });
});
