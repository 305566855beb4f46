-- API keys for ERPs and integrations (issue 12, ADR 0014): a shop's key is `oms_<prefix>_<secret>`, shown once when
-- it is made. Only the prefix (to find the row and to name the key in Settings) and a SHA-256 of the whole key are
-- kept: the secret is 32 random bytes, so a fast hash cannot be brute-forced and a slow one (bcrypt, argon2) would
-- only cost every API call its time. A revoked key stays listed (revokedAt) and is refused.
CREATE TABLE "ApiKey" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "name" TEXT NOT NULL,
  "prefix" TEXT NOT NULL, -- 12 hex characters, random; not secret
  "hash" TEXT NOT NULL, -- hex SHA-256 of the full key text
  "scope" TEXT NOT NULL, -- read | write
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "lastUsedAt" TIMESTAMPTZ(3), -- recorded at most once a minute per key
  "revokedAt" TIMESTAMPTZ(3)
);
CREATE UNIQUE INDEX "ApiKey_prefix_key" ON "ApiKey" ("prefix");
CREATE INDEX "ApiKey_shopId_createdAt_idx" ON "ApiKey" ("shopId", "createdAt");

-- What an API write was asked under a key (the client's Idempotency-Key, or the order's natural key: channel +
-- external id): a fingerprint of the request and the order it makes. The same key with the same request answers
-- the same order; with another request, 409. The order's own unique (channel, externalId) stays the durable guard.
CREATE TABLE "ApiIdempotencyKey" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "operation" TEXT NOT NULL, -- orders.create (Idempotency-Key header) | orders.create.externalId (natural key)
  "key" TEXT NOT NULL,
  "requestHash" TEXT NOT NULL, -- hex SHA-256 of the validated request
  "channelId" TEXT NOT NULL REFERENCES "Channel" ("id") ON DELETE CASCADE,
  "externalId" TEXT NOT NULL, -- the order's external id on that channel
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "ApiIdempotencyKey_shopId_operation_key_key" ON "ApiIdempotencyKey" ("shopId", "operation", "key");
