-- The inbox's status indexes cover only the rows someone looks for by status: received (the sweep, the
-- oldest unprocessed per shop), held (a shop not installed yet) and failed (retries, the operations page).
-- Processed rows — nearly all of them — are in none of these, so marking a webhook processed removes one
-- index entry instead of moving three (status, shop + status, status + retry time), and a new row adds one.
-- Each is by shop first; the sweeps across shops walk the whole (small) set of received, held or failed rows.
DROP INDEX "WebhookInbox_shopDomain_status_idx";
DROP INDEX "WebhookInbox_status_receivedAt_idx";
DROP INDEX "WebhookInbox_status_nextAttemptAt_idx";
CREATE INDEX "WebhookInbox_received_idx" ON "WebhookInbox" ("shopDomain", "receivedAt") WHERE "status" = 'received';
CREATE INDEX "WebhookInbox_held_idx" ON "WebhookInbox" ("shopDomain", "receivedAt") WHERE "status" = 'held';
CREATE INDEX "WebhookInbox_failed_idx" ON "WebhookInbox" ("shopDomain", "nextAttemptAt") WHERE "status" = 'failed';
