import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { fill } from "./flow";
import { startTestSandbox, TEST_APP, TEST_SHOP } from "./test-support";

// The stand-in's Shopify Flow (ADR 0031): flowTriggerReceive is recorded (bad input answered in userErrors); a stored
// workflow runs its action on each trigger, POSTing to the app as Flow does — signed with the app's secret, retried
// with the same action_run_id while the app answers 5xx.

// The app's document (app/.server/shopify/graphql/flow-trigger-receive-mutation.ts), as the app sends it.
const FLOW_TRIGGER_RECEIVE_MUTATION = `mutation FlowTriggerReceive($handle: String!, $payload: JSON!) {
  flowTriggerReceive(handle: $handle, payload: $payload) { userErrors { field message } }
}`;

type Sandbox = Awaited<ReturnType<typeof startTestSandbox>>;
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

describe("Flow in the stand-in", () => {
  it("records flowTriggerReceive and refuses a payload that is not an object", async () => {
    sandbox = await startTestSandbox();
    const ok = await sandbox.gql(FLOW_TRIGGER_RECEIVE_MUTATION, { handle: "order-backordered", payload: { order_id: 42, "Units backordered": 2 } });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data!.flowTriggerReceive).toEqual({ userErrors: [] });
    const bad = await sandbox.gql(FLOW_TRIGGER_RECEIVE_MUTATION, { handle: "Not A Handle", payload: [1] });
    expect(bad.body.data!.flowTriggerReceive.userErrors.map((e: { field: string[] }) => e.field[0])).toEqual(["handle", "payload"]);
    expect(sandbox.flow.triggers).toEqual([{ shop: TEST_SHOP, handle: "order-backordered", payload: { order_id: 42, "Units backordered": 2 }, receivedAt: expect.any(String) }]);
  });

  it("runs a stored workflow's action against the app, signed, retrying the same run on 5xx", async () => {
    sandbox = await startTestSandbox();
    const seen: { body: string; hmac: string | null }[] = [];
    sandbox.flow.fetch = async (_url, init) => {
      seen.push({ body: String(init!.body), hmac: new Headers(init!.headers).get("x-shopify-hmac-sha256") });
      return new Response(JSON.stringify({ ok: seen.length > 1 }), { status: seen.length === 1 ? 503 : 200 });
    };
    sandbox.flow.addWorkflow({ shop: TEST_SHOP, trigger: "order-backordered", action: "reroute-order", properties: { order_id: "{{order_id}}", "Exclude location": "Reno", Note: "order {{order_id}}" } });
    await sandbox.gql(FLOW_TRIGGER_RECEIVE_MUTATION, { handle: "order-backordered", payload: { order_id: 42 } });
    await sandbox.flow.idle();
    expect(seen).toHaveLength(2);
    const body = JSON.parse(seen[0].body);
    expect(body).toMatchObject({ shopify_domain: TEST_SHOP, handle: "reroute-order", properties: { order_id: 42, "Exclude location": "Reno", Note: "order 42" } });
    expect(seen[1].body).toBe(seen[0].body); // the same run, the same action_run_id
    expect(seen[0].hmac).toBe(createHmac("sha256", TEST_APP.apiSecret).update(seen[0].body).digest("base64"));
    expect(sandbox.flow.runs[0].statuses).toEqual([503, 200]);
  });

  it("fills properties from the trigger payload, keeping a whole value's type", () => {
    expect(fill({ a: "{{order_id}}", b: "#{{ name }}", c: 3, d: "{{missing}}" }, { order_id: 7, name: "1001" })).toEqual({ a: 7, b: "#1001", c: 3, d: null });
  });
});
