import { afterDeliveryFailure, DEFAULT_DELIVERY_POLICY, delivered, pauseReason, type DeliveryPolicy } from "~/domain/integrations/delivery-policy";
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook } from "~/domain/integrations/verify-signature";
import { audit } from "../db/audit";
import {
  claimDelivery, dueDeliveries, findEndpoint, markDeliveryFailed, markDeliverySent, pauseEndpoint, recordEndpointFailure, recordEndpointSuccess, type DeliveryRow,
} from "../db/automation-sql";
import { database } from "../db/database";
import { findShopById } from "../db/shops";
import { openSecret } from "../secrets";
import { FLOW_TRIGGER_RECEIVE_MUTATION, type FlowTriggerReceiveResult, type FlowTriggerReceiveVariables } from "../shopify/graphql/flow-trigger-receive-mutation";

// Sending the shop's due automation deliveries (ADR 0031), the notifications' claim-and-mark (ADR 0024): each row
// is claimed (compare-and-set, attempt counted), sent — a signed POST to the merchant's endpoint, or
// flowTriggerReceive to Shopify — then marked sent; a failure goes back to pending with a backoff (given up 24 h
// after the row was written). A row waits while an earlier one about the same resource for the same receiver is
// unsent (the claim checks it too), so each receiver sees one order's events in order. An endpoint whose attempts
// keep failing is paused, with an audit event and a banner on the Integrations page.

/** How long a claim holds before another sender may take the row (longer than one attempt's timeout). */
export const DELIVERY_LEASE_MS = 2 * 60_000;
const SECRET_PURPOSE = "webhook-endpoint-secret";
export const endpointSecretPurpose = (endpointId: string) => `${SECRET_PURPOSE}:${endpointId}`;

export interface AutomationSendOutcome {
  sent: number;
  retrying: number;
  failed: number;
  paused: string[];
}

/** Sends `flowTriggerReceive` for a shop; the default goes to Shopify with the shop's offline session. */
export type FlowTriggerSender = (shopDomain: string, variables: FlowTriggerReceiveVariables) => Promise<FlowTriggerReceiveResult>;

const adminFlowSender: FlowTriggerSender = async (shopDomain, variables) => {
  const { adminGraphql } = await import("../shopify/admin-graphql"); // loaded on first use: tests of webhooks alone never load Shopify's library
  return adminGraphql<FlowTriggerReceiveResult>(shopDomain, FLOW_TRIGGER_RECEIVE_MUTATION, variables as unknown as Record<string, unknown>);
};

export async function sendDueAutomation(shopId: string, opts: { now?: () => Date; limit?: number; policy?: DeliveryPolicy; flow?: FlowTriggerSender; fetch?: typeof fetch } = {}): Promise<AutomationSendOutcome> {
  const db = database();
  const clock = opts.now ?? (() => new Date());
  const policy = opts.policy ?? DEFAULT_DELIVERY_POLICY;
  const outcome: AutomationSendOutcome = { sent: 0, retrying: 0, failed: 0, paused: [] };
  const shop = await findShopById(db, shopId);
  if (!shop) return outcome;
  // Rounds until nothing is due: a delivery sent makes the next one about its resource due.
  for (let round = 0; round < 50; round++) {
    const started = clock();
    const due = await dueDeliveries(db, shopId, started, new Date(started.getTime() - DELIVERY_LEASE_MS), opts.limit ?? 100);
    let progressed = false;
    for (const row of due) {
      const claimedAt = clock();
      const claimed = await db.transaction((tx) => claimDelivery(tx, shopId, row.id, claimedAt, new Date(claimedAt.getTime() - DELIVERY_LEASE_MS)));
      if (!claimed) continue; // another sender has it, it was sent meanwhile, or an earlier one about its resource is back
      const attempt = row.target === "webhook" ? await postWebhook(shopId, row, claimedAt, policy, opts.fetch ?? fetch) : await sendFlowTrigger(shop.domain, row, opts.flow ?? adminFlowSender);
      if (attempt.ok) {
        await db.transaction(async (tx) => {
          await markDeliverySent(tx, shopId, row.id, claimedAt, clock(), attempt.statusCode);
          if (row.endpointId) await recordEndpointSuccess(tx, shopId, row.endpointId);
        });
        outcome.sent += 1;
        progressed = true;
        continue;
      }
      const failedAt = clock();
      const next = afterDeliveryFailure(row.attempts + 1, new Date(row.createdAt), failedAt, policy);
      const pausedNow = await db.transaction(async (tx) => {
        await markDeliveryFailed(tx, shopId, row.id, claimedAt, next, attempt.statusCode, attempt.error);
        if (!row.endpointId) return null;
        const record = await recordEndpointFailure(tx, shopId, row.endpointId, failedAt);
        const reason = record && record.status === "active" ? pauseReason(record, failedAt, policy) : null;
        if (!reason || !(await pauseEndpoint(tx, shopId, row.endpointId, reason, failedAt))) return null;
        await audit(tx, shopId, "job:automation", "webhook.endpoint_paused", { type: "webhook_endpoint", id: row.endpointId }, { reason, lastStatusCode: attempt.statusCode });
        return row.endpointId;
      });
      if (pausedNow) outcome.paused.push(pausedNow);
      if (next.status === "failed") outcome.failed += 1;
      else outcome.retrying += 1;
      progressed ||= next.status === "failed"; // a row given up no longer holds the next one back
    }
    if (!progressed || due.length === 0) break;
  }
  return outcome;
}

type Attempt = { ok: true; statusCode: number | null } | { ok: false; statusCode: number | null; error: string };

async function postWebhook(shopId: string, row: DeliveryRow, now: Date, policy: DeliveryPolicy, doFetch: typeof fetch): Promise<Attempt> {
  const endpoint = await findEndpoint(database(), shopId, row.endpointId!);
  if (!endpoint) return { ok: false, statusCode: null, error: "the endpoint was removed" };
  let secret: string;
  try {
    secret = openSecret(endpoint.secretSealed, endpointSecretPurpose(endpoint.id));
  } catch (error) {
    return { ok: false, statusCode: null, error: (error as Error).message };
  }
  try {
    const response = await doFetch(endpoint.url, {
      method: "POST",
      redirect: "manual", // a redirect is not a delivery: the receiver's URL is the one registered
      signal: AbortSignal.timeout(policy.timeoutMs),
      headers: { "Content-Type": "application/json", "User-Agent": "OMS-Webhooks/1", [SIGNATURE_HEADER]: signWebhook(secret, row.payload, now), [EVENT_ID_HEADER]: row.eventId, "X-OMS-Topic": row.topic },
      body: row.payload,
    });
    await response.body?.cancel().catch(() => {});
    return delivered(response.status) ? { ok: true, statusCode: response.status } : { ok: false, statusCode: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    const e = error as Error;
    return { ok: false, statusCode: null, error: e.name === "TimeoutError" ? `no answer within ${policy.timeoutMs / 1000} s` : e.message || String(error) };
  }
}

async function sendFlowTrigger(shopDomain: string, row: DeliveryRow, send: FlowTriggerSender): Promise<Attempt> {
  try {
    const result = await send(shopDomain, { handle: row.topic, payload: JSON.parse(row.payload) as Record<string, unknown> });
    const errors = result.flowTriggerReceive?.userErrors ?? [{ field: null, message: "no flowTriggerReceive in the answer" }];
    return errors.length === 0 ? { ok: true, statusCode: null } : { ok: false, statusCode: null, error: errors.map((e) => e.message).join("; ") };
  } catch (error) {
    return { ok: false, statusCode: null, error: (error as Error).message || String(error) };
  }
}
