-- Shop lifecycle and privacy (issue 9).
--   * Shop.status: installed | uninstalled | redacted. Every intake path asks it; only an install makes a shop
--     installed again. shop/redact leaves a tombstone row (status redacted, no name or email, no data).
--   * WebhookInbox: failures classified (terminal | transient) with a next attempt time for the sweep's retries;
--     bodies trimmed by retention or redaction (payloadTrimmedAt). The receivedAt index gives way to two that
--     the sweep and the retention rule read by (status, next attempt) and (trimmed, received).
--   * RedactedCustomerKey: keyed hashes of redacted customers' ids, emails and orders that ingestion consults.

ALTER TABLE "Shop" ADD COLUMN "status" TEXT NOT NULL DEFAULT 'installed';
ALTER TABLE "Shop" ADD COLUMN "redactedAt" DATETIME;
UPDATE "Shop" SET "status" = 'uninstalled' WHERE "uninstalledAt" IS NOT NULL;

ALTER TABLE "WebhookInbox" ADD COLUMN "failure" TEXT;
ALTER TABLE "WebhookInbox" ADD COLUMN "nextAttemptAt" DATETIME;
ALTER TABLE "WebhookInbox" ADD COLUMN "payloadTrimmedAt" DATETIME;
-- Rows failed before this migration: which kind is unknown, so the sweep retries them (bounded by attempts).
UPDATE "WebhookInbox" SET "failure" = 'transient' WHERE "status" = 'failed';

DROP INDEX "WebhookInbox_receivedAt_idx";
CREATE INDEX "WebhookInbox_status_nextAttemptAt_idx" ON "WebhookInbox"("status", "nextAttemptAt");
CREATE INDEX "WebhookInbox_payloadTrimmedAt_receivedAt_idx" ON "WebhookInbox"("payloadTrimmedAt", "receivedAt");

CREATE TABLE "RedactedCustomerKey" (
    "shopDomain" TEXT NOT NULL,
    "keyHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shopDomain", "keyHash")
);
