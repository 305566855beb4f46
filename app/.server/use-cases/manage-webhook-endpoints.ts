import { randomBytes } from "node:crypto";
import { checkEndpointUrl } from "~/domain/integrations/endpoint-url";
import { isWebhookTopic, WEBHOOK_TOPICS } from "~/domain/integrations/events";
import { audit } from "../db/audit";
import {
  deleteEndpoint, findDelivery, findEndpoint, insertEndpoint, listEndpoints, recentDeliveries, resendDelivery, resumeEndpoint, updateEndpoint, type DeliveryRow, type EndpointRow,
} from "../db/automation-sql";
import { database } from "../db/database";
import { newId } from "../db/ids";
import { env } from "../env";
import { AppError } from "../errors";
import { sealSecret } from "../secrets";
import { endpointSecretPurpose } from "./send-automation";

// The merchant's webhook endpoints (ADR 0031), for the Integrations page and /api/v1/webhook-endpoints: registered
// with an https URL and topics; the signing secret is made here, shown once in the answer to the registration and
// stored sealed; paused endpoints resumed; a delivery sent again. Every call is scoped by the shop.

export const MAX_ENDPOINTS_PER_SHOP = 20;

export interface EndpointView {
  id: string;
  url: string;
  topics: string[];
  status: "active" | "paused";
  pausedAt: string | null;
  pausedReason: string | null;
  consecutiveFailures: number;
  createdAt: string;
}

export interface DeliveryView {
  id: string;
  endpointId: string | null;
  target: "webhook" | "flow";
  eventId: string;
  topic: string;
  resource: string;
  occurredAt: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string;
  sentAt: string | null;
}

const endpointView = (e: EndpointRow): EndpointView => ({
  id: e.id, url: e.url, topics: e.topics, status: e.status, pausedAt: e.pausedAt, pausedReason: e.pausedReason, consecutiveFailures: e.consecutiveFailures, createdAt: e.createdAt,
});
const deliveryView = (d: DeliveryRow): DeliveryView => ({
  id: d.id, endpointId: d.endpointId, target: d.target, eventId: d.eventId, topic: d.topic, resource: d.resource, occurredAt: d.occurredAt,
  status: d.status, attempts: d.attempts, lastStatusCode: d.lastStatusCode, lastError: d.lastError, nextAttemptAt: d.nextAttemptAt, sentAt: d.sentAt,
});

function checkTopics(topics: unknown): string[] {
  if (!Array.isArray(topics) || topics.length === 0) throw new AppError("invalid_data", "WEBHOOK.TOPICS_INVALID", `topics: at least one of ${WEBHOOK_TOPICS.join(", ")}`);
  const unknown = topics.filter((t) => typeof t !== "string" || !isWebhookTopic(t));
  if (unknown.length) throw new AppError("invalid_data", "WEBHOOK.TOPICS_INVALID", `topics: unknown ${unknown.map(String).join(", ")} (known: ${WEBHOOK_TOPICS.join(", ")})`);
  return [...new Set(topics as string[])].sort();
}

function checkUrl(url: unknown): string {
  if (typeof url !== "string") throw new AppError("invalid_data", "WEBHOOK.URL_INVALID", "url: required");
  const checked = checkEndpointUrl(url, { allowHttpLoopback: env().NODE_ENV !== "production" });
  if (!checked.ok) throw new AppError("invalid_data", "WEBHOOK.URL_INVALID", checked.reason);
  return checked.url;
}

export async function listWebhookEndpoints(shopId: string): Promise<EndpointView[]> {
  return (await listEndpoints(database(), shopId)).map(endpointView);
}

/** Registers an endpoint; the answer is the only place its signing secret ever appears. */
export async function createWebhookEndpoint(shopId: string, input: { url: unknown; topics: unknown }, actor: string, now = new Date()): Promise<{ endpoint: EndpointView; secret: string }> {
  const url = checkUrl(input.url);
  const topics = checkTopics(input.topics);
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  const db = database();
  const id = await db.transaction(async (tx) => {
    if ((await listEndpoints(tx, shopId)).length >= MAX_ENDPOINTS_PER_SHOP) throw new AppError("conflict", "WEBHOOK.TOO_MANY_ENDPOINTS", `A shop has at most ${MAX_ENDPOINTS_PER_SHOP} endpoints`);
    // The secret is sealed for this endpoint's id (bound in as associated data): the id is made first.
    const endpointId = newId();
    await insertEndpoint(tx, shopId, { id: endpointId, url, topics, secretSealed: sealSecret(secret, endpointSecretPurpose(endpointId)) }, now);
    await audit(tx, shopId, actor, "webhook.endpoint_created", { type: "webhook_endpoint", id: endpointId }, { url, topics });
    return endpointId;
  });
  return { endpoint: endpointView((await findEndpoint(db, shopId, id))!), secret };
}

export async function updateWebhookEndpoint(shopId: string, id: string, input: { url?: unknown; topics?: unknown }, actor: string, now = new Date()): Promise<EndpointView> {
  const url = input.url === undefined ? undefined : checkUrl(input.url);
  const topics = input.topics === undefined ? undefined : checkTopics(input.topics);
  const db = database();
  await db.transaction(async (tx) => {
    if (!(await updateEndpoint(tx, shopId, id, { url, topics }, now))) throw notFound(id);
    await audit(tx, shopId, actor, "webhook.endpoint_updated", { type: "webhook_endpoint", id }, { url, topics });
  });
  return endpointView((await findEndpoint(db, shopId, id))!);
}

/** Removes the endpoint and its delivery log. */
export async function deleteWebhookEndpoint(shopId: string, id: string, actor: string): Promise<void> {
  await database().transaction(async (tx) => {
    if (!(await deleteEndpoint(tx, shopId, id))) throw notFound(id);
    await audit(tx, shopId, actor, "webhook.endpoint_deleted", { type: "webhook_endpoint", id });
  });
}

/** A paused endpoint active again: what waited for it is due now. */
export async function resumeWebhookEndpoint(shopId: string, id: string, actor: string, now = new Date()): Promise<EndpointView> {
  const db = database();
  await db.transaction(async (tx) => {
    const endpoint = await findEndpoint(tx, shopId, id);
    if (!endpoint) throw notFound(id);
    if (endpoint.status !== "paused") throw new AppError("conflict", "WEBHOOK.NOT_PAUSED", "The endpoint is not paused");
    await resumeEndpoint(tx, shopId, id, now);
    await audit(tx, shopId, actor, "webhook.endpoint_resumed", { type: "webhook_endpoint", id });
  });
  return endpointView((await findEndpoint(db, shopId, id))!);
}

/** The merchant's Resend: a sent or given-up delivery goes out again with its event id (receivers can tell). */
export async function resendWebhookDelivery(shopId: string, deliveryId: string, actor: string, opts: { endpointId?: string; now?: Date } = {}): Promise<DeliveryView> {
  const db = database();
  const now = opts.now ?? new Date();
  await db.transaction(async (tx) => {
    const row = await findDelivery(tx, shopId, deliveryId);
    if (!row || row.target !== "webhook" || (opts.endpointId !== undefined && row.endpointId !== opts.endpointId)) throw new AppError("not_found", "WEBHOOK.DELIVERY_NOT_FOUND", `No webhook delivery ${deliveryId}`);
    if (!(await resendDelivery(tx, shopId, deliveryId, now))) throw new AppError("conflict", "WEBHOOK.DELIVERY_IN_FLIGHT", `Delivery ${deliveryId} is ${row.status}: only a sent or failed delivery is sent again`);
    await audit(tx, shopId, actor, "webhook.delivery_resent", { type: "webhook_endpoint", id: row.endpointId! }, { deliveryId, eventId: row.eventId });
  });
  return deliveryView((await findDelivery(db, shopId, deliveryId))!);
}

export async function webhookDeliveries(shopId: string, opts: { endpointId?: string; limit?: number } = {}): Promise<DeliveryView[]> {
  if (opts.endpointId && !(await findEndpoint(database(), shopId, opts.endpointId))) throw notFound(opts.endpointId);
  return (await recentDeliveries(database(), shopId, { endpointId: opts.endpointId, limit: Math.min(Math.max(opts.limit ?? 50, 1), 200) })).map(deliveryView);
}

const notFound = (id: string) => new AppError("not_found", "WEBHOOK.ENDPOINT_NOT_FOUND", `No webhook endpoint ${id}`);
