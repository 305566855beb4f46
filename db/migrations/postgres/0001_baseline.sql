-- Baseline schema (PostgreSQL). The SQLite twin is db/migrations/sqlite/0001_baseline.sql; both build the
-- same tables, columns and indexes (tests/integration/schema-parity.test.ts). Times are TIMESTAMPTZ (read
-- back as UTC ISO-8601 text by the driver, as SQLite stores them); booleans are BOOLEAN. Every row but a few cross-shop
-- queues (inbox, schedule) belongs to a shop, and goes with it (ON DELETE CASCADE).

CREATE TABLE "Shop" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "domain" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "email" TEXT,
  "currency" TEXT NOT NULL DEFAULT 'USD',
  "timezone" TEXT NOT NULL DEFAULT 'UTC',
  "status" TEXT NOT NULL DEFAULT 'installed', -- installed | uninstalled | redacted
  "configVersion" INTEGER NOT NULL DEFAULT 0, -- +1 at every change of what routing reads (rules, promise, prices, locations): caches in every process key on it
  "installedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "uninstalledAt" TIMESTAMPTZ(3),
  "redactedAt" TIMESTAMPTZ(3),
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop" ("domain");

CREATE TABLE "Session" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shop" TEXT NOT NULL,
  "state" TEXT NOT NULL,
  "isOnline" BOOLEAN NOT NULL DEFAULT FALSE,
  "scope" TEXT,
  "expires" TIMESTAMPTZ(3),
  "accessToken" TEXT NOT NULL,
  "userId" TEXT,
  "firstName" TEXT,
  "lastName" TEXT,
  "email" TEXT,
  "accountOwner" BOOLEAN NOT NULL DEFAULT FALSE,
  "locale" TEXT,
  "collaborator" BOOLEAN DEFAULT FALSE,
  "emailVerified" BOOLEAN DEFAULT FALSE,
  "refreshToken" TEXT,
  "refreshTokenExpires" TIMESTAMPTZ(3)
);
CREATE INDEX "Session_shop_idx" ON "Session" ("shop");

CREATE TABLE "Location" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "externalId" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "address1" TEXT,
  "city" TEXT,
  "province" TEXT,
  "countryCode" TEXT,
  "zip" TEXT,
  "latitude" DOUBLE PRECISION,
  "longitude" DOUBLE PRECISION,
  "dailyCapacity" INTEGER NOT NULL DEFAULT 500,
  "carrierCutoff" TEXT NOT NULL DEFAULT '16:00',
  "timezone" TEXT NOT NULL DEFAULT 'UTC',
  "handlingCostMinor" INTEGER NOT NULL DEFAULT 150,
  "active" BOOLEAN NOT NULL DEFAULT TRUE,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "Location_shopId_externalId_key" ON "Location" ("shopId", "externalId");

CREATE TABLE "Product" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "externalId" TEXT NOT NULL,
  "title" TEXT NOT NULL,
  "vendor" TEXT,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "Product_shopId_externalId_key" ON "Product" ("shopId", "externalId");

CREATE TABLE "Variant" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "productId" TEXT NOT NULL REFERENCES "Product" ("id") ON DELETE CASCADE,
  "externalId" TEXT NOT NULL,
  "inventoryItemExternalId" TEXT,
  "sku" TEXT NOT NULL,
  "title" TEXT NOT NULL,
  "priceMinor" BIGINT NOT NULL DEFAULT 0,
  "weightGrams" INTEGER NOT NULL DEFAULT 0,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "Variant_shopId_externalId_key" ON "Variant" ("shopId", "externalId");
CREATE UNIQUE INDEX "Variant_shopId_sku_key" ON "Variant" ("shopId", "sku");

-- Stock per variant per location. available = onHand − reserved − safety (derived, never stored:
-- app/domain/inventory/availability.ts and the guarded statements in app/.server/db/stock-sql.ts).
CREATE TABLE "InventoryLevel" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "variantId" TEXT NOT NULL REFERENCES "Variant" ("id") ON DELETE CASCADE,
  "locationId" TEXT NOT NULL REFERENCES "Location" ("id") ON DELETE CASCADE,
  "onHand" INTEGER NOT NULL DEFAULT 0,
  "reserved" INTEGER NOT NULL DEFAULT 0,
  "incoming" INTEGER NOT NULL DEFAULT 0,
  "safety" INTEGER NOT NULL DEFAULT 0,
  "recheckAfter" TIMESTAMPTZ(3), -- a Shopify on-hand difference waits until then for the webhook that explains it
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "InventoryLevel_variantId_locationId_key" ON "InventoryLevel" ("variantId", "locationId");
CREATE INDEX "InventoryLevel_shopId_locationId_idx" ON "InventoryLevel" ("shopId", "locationId");
CREATE INDEX "InventoryLevel_shopId_variantId_idx" ON "InventoryLevel" ("shopId", "variantId");
CREATE INDEX "InventoryLevel_recheckAfter_idx" ON "InventoryLevel" ("recheckAfter");

-- Append-only: every change to a stock bucket, why, and an idempotency key from the natural key of the
-- effect. No keys to variant and location (an audit log outlives them; ADR 0004), no per-level index.
CREATE TABLE "InventoryLedgerEntry" (
  "id" BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "variantId" TEXT NOT NULL,
  "locationId" TEXT NOT NULL,
  "bucket" TEXT NOT NULL, -- on_hand | reserved | incoming | safety
  "delta" INTEGER NOT NULL,
  "reason" TEXT NOT NULL,
  "idempotencyKey" TEXT NOT NULL,
  "refType" TEXT,
  "refId" TEXT,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "InventoryLedgerEntry_shopId_idempotencyKey_key" ON "InventoryLedgerEntry" ("shopId", "idempotencyKey");

-- Receipts as documents: one row per (shop, reference) with a hash of its normalised lines.
CREATE TABLE "InventoryReceipt" (
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "reference" TEXT NOT NULL,
  "contentHash" TEXT NOT NULL,
  "lineCount" INTEGER NOT NULL,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("shopId", "reference")
);

CREATE TABLE "Channel" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "kind" TEXT NOT NULL, -- shopify | amazon | wholesale | manual: which adapter (app/.server/channels)
  "name" TEXT NOT NULL,
  "active" BOOLEAN NOT NULL DEFAULT TRUE,
  "config" TEXT NOT NULL DEFAULT '{}',
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "Channel_shopId_kind_name_key" ON "Channel" ("shopId", "kind", "name");

CREATE TABLE "Order" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "channelId" TEXT NOT NULL REFERENCES "Channel" ("id") ON DELETE CASCADE,
  "externalId" TEXT NOT NULL,
  "name" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'received',
  "financialStatus" TEXT,
  "currency" TEXT NOT NULL,
  "totalMinor" BIGINT NOT NULL,
  "customerExternalId" TEXT,
  "email" TEXT,
  "phone" TEXT,
  "customerName" TEXT,
  "shipAddress1" TEXT,
  "shipCity" TEXT,
  "shipProvince" TEXT,
  "shipCountryCode" TEXT,
  "shipZip" TEXT,
  "shipLatitude" DOUBLE PRECISION,
  "shipLongitude" DOUBLE PRECISION,
  "placedAt" TIMESTAMPTZ(3) NOT NULL,
  "promisedBy" TEXT, -- latest acceptable delivery date, YYYY-MM-DD
  "externalUpdatedAt" TIMESTAMPTZ(3), -- the channel's updated_at: older payloads never overwrite newer state
  "externalTriggeredAt" TIMESTAMPTZ(3), -- X-Shopify-Triggered-At of the payload in force (same-second tie-break)
  "cancelledAt" TIMESTAMPTZ(3),
  "redactedAt" TIMESTAMPTZ(3),
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "Order_shopId_channelId_externalId_key" ON "Order" ("shopId", "channelId", "externalId");
CREATE INDEX "Order_shopId_placedAt_idx" ON "Order" ("shopId", "placedAt");
CREATE INDEX "Order_shopId_status_placedAt_idx" ON "Order" ("shopId", "status", "placedAt");
CREATE INDEX "Order_shopId_channelId_placedAt_idx" ON "Order" ("shopId", "channelId", "placedAt");
CREATE INDEX "Order_shopId_customerExternalId_idx" ON "Order" ("shopId", "customerExternalId");

CREATE TABLE "OrderLine" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "orderId" TEXT NOT NULL REFERENCES "Order" ("id") ON DELETE CASCADE,
  "externalId" TEXT NOT NULL,
  "variantId" TEXT REFERENCES "Variant" ("id") ON DELETE SET NULL,
  "sku" TEXT,
  "title" TEXT NOT NULL,
  "quantity" INTEGER NOT NULL,
  "priceMinor" BIGINT NOT NULL,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "OrderLine_orderId_externalId_key" ON "OrderLine" ("orderId", "externalId");
CREATE INDEX "OrderLine_shopId_orderId_idx" ON "OrderLine" ("shopId", "orderId");
CREATE INDEX "OrderLine_shopId_variantId_idx" ON "OrderLine" ("shopId", "variantId");

-- A line's units placed at a location (or backordered, no location). Written only by the reservation
-- path, for lines and levels it has just read and claimed: no foreign keys to OrderLine and Location
-- (a parent lookup on every reservation row; ADR 0004).
CREATE TABLE "Allocation" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "orderLineId" TEXT NOT NULL,
  "locationId" TEXT,
  "quantity" INTEGER NOT NULL,
  "status" TEXT NOT NULL, -- reserved | backordered | released | fulfilled | returned
  "decisionId" TEXT,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX "Allocation_orderLineId_status_idx" ON "Allocation" ("orderLineId", "status");
CREATE INDEX "Allocation_backordered_idx" ON "Allocation" ("shopId") WHERE "status" = 'backordered';
CREATE INDEX "Allocation_shopId_locationId_status_idx" ON "Allocation" ("shopId", "locationId", "status");

-- Every routing of an order with its explanation; the latest is in force. Also the outbox of the
-- apply-routing job: dispatchedAt is set once the job is enqueued, after commit (swept if never set).
CREATE TABLE "RoutingDecision" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "orderId" TEXT NOT NULL,
  "ruleSetId" TEXT,
  "method" TEXT NOT NULL,
  "decidedBy" TEXT NOT NULL,
  "totalCostMinor" BIGINT NOT NULL,
  "shipments" INTEGER NOT NULL,
  "unitsAllocated" INTEGER NOT NULL,
  "unitsBackordered" INTEGER NOT NULL,
  "meetsPromise" BOOLEAN,
  "explanation" TEXT NOT NULL,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "dispatchedAt" TIMESTAMPTZ(3)
);
CREATE INDEX "RoutingDecision_shopId_orderId_createdAt_idx" ON "RoutingDecision" ("shopId", "orderId", "createdAt");
CREATE INDEX "RoutingDecision_undispatched_idx" ON "RoutingDecision" ("createdAt") WHERE "dispatchedAt" IS NULL;

CREATE TABLE "RoutingRuleSet" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "name" TEXT NOT NULL,
  "status" TEXT NOT NULL, -- active | draft | archived
  "rules" TEXT NOT NULL,
  "rateTable" TEXT NOT NULL,
  "promise" TEXT NOT NULL DEFAULT '{}',
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "activatedAt" TIMESTAMPTZ(3)
);
CREATE INDEX "RoutingRuleSet_shopId_status_idx" ON "RoutingRuleSet" ("shopId", "status");

CREATE TABLE "StockPricePlan" (
  "shopId" TEXT NOT NULL PRIMARY KEY REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "version" INTEGER NOT NULL DEFAULT 1,
  "prices" TEXT NOT NULL,
  "stats" TEXT NOT NULL DEFAULT '{}',
  "computedAt" TIMESTAMPTZ(3) NOT NULL
);

CREATE TABLE "LocationLoad" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "locationId" TEXT NOT NULL,
  "day" TEXT NOT NULL, -- YYYY-MM-DD (UTC)
  "orders" INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX "LocationLoad_locationId_day_key" ON "LocationLoad" ("locationId", "day");
CREATE INDEX "LocationLoad_shopId_day_idx" ON "LocationLoad" ("shopId", "day");

CREATE TABLE "FulfillmentLine" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "orderId" TEXT NOT NULL REFERENCES "Order" ("id") ON DELETE CASCADE,
  "fulfillmentExternalId" TEXT NOT NULL,
  "lineExternalId" TEXT NOT NULL,
  "quantity" INTEGER NOT NULL,
  "status" TEXT NOT NULL, -- consumed | cancelled
  "pieces" TEXT NOT NULL DEFAULT '[]',
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "FulfillmentLine_shopId_fulfillmentExternalId_lineExternalId_key" ON "FulfillmentLine" ("shopId", "fulfillmentExternalId", "lineExternalId");
CREATE INDEX "FulfillmentLine_shopId_orderId_idx" ON "FulfillmentLine" ("shopId", "orderId");

CREATE TABLE "RefundLine" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "orderId" TEXT NOT NULL REFERENCES "Order" ("id") ON DELETE CASCADE,
  "refundExternalId" TEXT NOT NULL,
  "refundLineExternalId" TEXT NOT NULL,
  "lineExternalId" TEXT NOT NULL,
  "quantity" INTEGER NOT NULL,
  "restockType" TEXT NOT NULL,
  "locationId" TEXT,
  "effect" TEXT NOT NULL,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "RefundLine_shopId_refundExternalId_refundLineExternalId_key" ON "RefundLine" ("shopId", "refundExternalId", "refundLineExternalId");
CREATE INDEX "RefundLine_shopId_orderId_idx" ON "RefundLine" ("shopId", "orderId");

CREATE TABLE "SyncState" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "key" TEXT NOT NULL,
  "value" TEXT NOT NULL,
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "SyncState_shopId_key_key" ON "SyncState" ("shopId", "key");

CREATE TABLE "AuditEvent" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "actor" TEXT NOT NULL,
  "action" TEXT NOT NULL,
  "subjectType" TEXT,
  "subjectId" TEXT,
  "data" TEXT NOT NULL DEFAULT '{}',
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX "AuditEvent_shopId_createdAt_idx" ON "AuditEvent" ("shopId", "createdAt");
CREATE INDEX "AuditEvent_shopId_subjectType_subjectId_idx" ON "AuditEvent" ("shopId", "subjectType", "subjectId");

-- Every webhook as received, once per (shop, X-Shopify-Event-Id); the work happens later, in a job.
-- Keyed by domain, not shop id: it takes deliveries for shops not installed yet (held) and after redaction.
CREATE TABLE "WebhookInbox" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopDomain" TEXT NOT NULL,
  "topic" TEXT NOT NULL,
  "eventId" TEXT NOT NULL,
  "webhookId" TEXT NOT NULL,
  "apiVersion" TEXT,
  "triggeredAt" TIMESTAMPTZ(3),
  "payload" TEXT NOT NULL,
  "status" TEXT NOT NULL DEFAULT 'received', -- received | held | processed | failed | skipped
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "error" TEXT,
  "failure" TEXT, -- terminal | transient
  "nextAttemptAt" TIMESTAMPTZ(3),
  "payloadTrimmedAt" TIMESTAMPTZ(3),
  "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "processedAt" TIMESTAMPTZ(3)
);
CREATE UNIQUE INDEX "WebhookInbox_shopDomain_eventId_key" ON "WebhookInbox" ("shopDomain", "eventId");
CREATE INDEX "WebhookInbox_shopDomain_status_idx" ON "WebhookInbox" ("shopDomain", "status");
CREATE INDEX "WebhookInbox_status_receivedAt_idx" ON "WebhookInbox" ("status", "receivedAt");
CREATE INDEX "WebhookInbox_status_nextAttemptAt_idx" ON "WebhookInbox" ("status", "nextAttemptAt");
CREATE INDEX "WebhookInbox_payloadTrimmedAt_receivedAt_idx" ON "WebhookInbox" ("payloadTrimmedAt", "receivedAt");

-- customers/redact tombstones: keyed hashes of a redacted customer's identifiers, consulted at intake.
CREATE TABLE "RedactedCustomerKey" (
  "shopDomain" TEXT NOT NULL,
  "keyHash" TEXT NOT NULL,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("shopDomain", "keyHash")
);

-- Scheduled work that must run once per period however many workers tick (reconciliation poll, daily
-- planning, sweeps): the first worker to insert (name, period) runs it.
CREATE TABLE "ScheduledRun" (
  "name" TEXT NOT NULL,
  "period" TEXT NOT NULL,
  "runBy" TEXT NOT NULL,
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("name", "period")
);
CREATE INDEX "ScheduledRun_createdAt_idx" ON "ScheduledRun" ("createdAt");
