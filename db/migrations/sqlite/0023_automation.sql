-- Webhook-driven automation (issue 15, ADR 0031): outgoing webhooks to the merchant's endpoints and Shopify Flow
-- triggers, decided from the audit trail by a per-shop cursor, sent from one durable outbox; Flow actions received.

-- Per shop: how far the automation sweep has read the audit trail (the notification sweep's shape, ADR 0024).
CREATE TABLE "AutomationCursor" (
  "shopId" TEXT NOT NULL PRIMARY KEY REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "sinceAt" TEXT NOT NULL, -- events before this are never sent (the feature's start for the shop)
  "cursorAt" TEXT NOT NULL, -- read up to here (and again a little before it)
  "updatedAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- A merchant's endpoint: where, which topics (JSON array), its signing secret (sealed, app/.server/secrets.ts).
CREATE TABLE "WebhookEndpoint" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "url" TEXT NOT NULL,
  "topics" TEXT NOT NULL,
  "secretSealed" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'active', -- active | paused
  "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
  "failingSinceAt" TEXT, -- the first failed attempt since the last success
  "pausedAt" TEXT,
  "pausedReason" TEXT,
  "createdAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "updatedAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX "WebhookEndpoint_shopId_idx" ON "WebhookEndpoint" ("shopId");

-- The outbox: one row per effect, unique on (shop, key) — webhook:<endpoint>:<event>:<topic> or flow:<handle>:<event> —
-- so reading an event twice adds nothing. `lane` (the endpoint, or the Flow trigger) and `resource` (order:<id>)
-- order the sending: a row waits while an earlier one of its lane and resource is unsent.
CREATE TABLE "AutomationDelivery" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "key" TEXT NOT NULL,
  "target" TEXT NOT NULL, -- webhook | flow
  "endpointId" TEXT REFERENCES "WebhookEndpoint" ("id") ON DELETE CASCADE,
  "lane" TEXT NOT NULL,
  "eventId" TEXT NOT NULL, -- what receivers see (X-OMS-Event-Id)
  "topic" TEXT NOT NULL, -- the webhook topic, or the Flow trigger's handle
  "resource" TEXT NOT NULL,
  "occurredAt" TEXT NOT NULL,
  "rank" INTEGER NOT NULL DEFAULT 0, -- same-millisecond events of one transaction, in the order they happen
  "payload" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'pending', -- pending | sending | sent | failed
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "lastStatusCode" INTEGER,
  "lastError" TEXT,
  "nextAttemptAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "claimedAt" TEXT,
  "sentAt" TEXT,
  "createdAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "AutomationDelivery_shopId_key_key" ON "AutomationDelivery" ("shopId", "key");
CREATE INDEX "AutomationDelivery_shopId_status_nextAttemptAt_idx" ON "AutomationDelivery" ("shopId", "status", "nextAttemptAt");
CREATE INDEX "AutomationDelivery_shopId_lane_resource_idx" ON "AutomationDelivery" ("shopId", "lane", "resource", "occurredAt");
CREATE INDEX "AutomationDelivery_shopId_createdAt_idx" ON "AutomationDelivery" ("shopId", "createdAt");

-- Flow action requests acted on, once per Flow action run id (Flow retries with the same id).
CREATE TABLE "FlowActionRun" (
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "actionRunId" TEXT NOT NULL,
  "handle" TEXT NOT NULL,
  "outcome" TEXT NOT NULL, -- running | done | refused (running: claimed by a request still at work, or one that died)
  "result" TEXT NOT NULL, -- JSON: what was done, or why not
  "createdAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY ("shopId", "actionRunId")
);
