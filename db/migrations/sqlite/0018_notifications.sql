-- Customer notifications (issue 14, ADR 0024): an outbox of e-mails decided from the audit trail, sent by a job.
-- One row per effect: (shop, key) is unique, the key being the effect's natural key (shipped:<shipment id>,
-- backordered:<order id> …), so a sweep that reads an event twice adds nothing. The message is rendered when the
-- row is written; a claim (status 'sending', claimedAt) is taken before it goes to the SMTP server.
CREATE TABLE "Notification" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "orderId" TEXT REFERENCES "Order" ("id") ON DELETE CASCADE,
  "kind" TEXT NOT NULL, -- order_confirmation | backorder | split_shipment | shipped
  "key" TEXT NOT NULL, -- the effect's natural key
  "status" TEXT NOT NULL DEFAULT 'pending', -- pending | sending | sent | failed
  "recipient" TEXT NOT NULL,
  "language" TEXT NOT NULL,
  "subject" TEXT NOT NULL,
  "bodyText" TEXT NOT NULL,
  "bodyHtml" TEXT NOT NULL,
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "lastError" TEXT,
  "nextAttemptAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "claimedAt" TEXT,
  "sentAt" TEXT,
  "createdAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "Notification_shopId_key_key" ON "Notification" ("shopId", "key");
CREATE INDEX "Notification_shopId_status_nextAttemptAt_idx" ON "Notification" ("shopId", "status", "nextAttemptAt");
CREATE INDEX "Notification_shopId_createdAt_idx" ON "Notification" ("shopId", "createdAt");
CREATE INDEX "Notification_shopId_orderId_idx" ON "Notification" ("shopId", "orderId");

-- Per shop: what is sent and in which language, and how far the sweep has read the audit trail.
CREATE TABLE "NotificationSettings" (
  "shopId" TEXT NOT NULL PRIMARY KEY REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "confirmationEnabled" BOOLEAN NOT NULL DEFAULT false,
  "language" TEXT NOT NULL DEFAULT 'en',
  "sinceAt" TEXT NOT NULL, -- events before this are never notified (the feature's start for the shop)
  "cursorAt" TEXT NOT NULL, -- the audit trail is read up to here (and again a little before it)
  "updatedAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- The merchant's own wording of a kind in a language (the defaults live in code).
CREATE TABLE "NotificationTemplate" (
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "kind" TEXT NOT NULL,
  "language" TEXT NOT NULL,
  "subject" TEXT NOT NULL,
  "body" TEXT NOT NULL,
  "updatedAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY ("shopId", "kind", "language")
);

-- Customers who asked for no non-essential e-mails from the shop (lower-cased address).
CREATE TABLE "NotificationOptOut" (
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "email" TEXT NOT NULL,
  "createdAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY ("shopId", "email")
);
