-- Amazon as a channel the app pushes to (ADR 0011). The app's SP-API credentials (LWA client id and secret)
-- are the developer's and live in the environment; what a seller authorised is stored per channel here.
CREATE TABLE "AmazonConnection" (
  "channelId" TEXT NOT NULL PRIMARY KEY REFERENCES "Channel" ("id") ON DELETE CASCADE,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "sellerId" TEXT NOT NULL,
  "marketplaceId" TEXT NOT NULL,
  "refreshToken" TEXT NOT NULL, -- the seller's authorisation (LWA refresh token); never shown back
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "AmazonConnection_shopId_channelId_key" ON "AmazonConnection" ("shopId", "channelId");

-- What Amazon says of each seller SKU: its product type (every listings patch and feed message must name it),
-- or that it is not listed in the marketplace (productType NULL), as of checkedAt.
CREATE TABLE "AmazonListing" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "channelId" TEXT NOT NULL REFERENCES "Channel" ("id") ON DELETE CASCADE,
  "sku" TEXT NOT NULL,
  "productType" TEXT,
  "checkedAt" TIMESTAMPTZ(3) NOT NULL
);
CREATE UNIQUE INDEX "AmazonListing_channelId_sku_key" ON "AmazonListing" ("channelId", "sku");

-- A JSON_LISTINGS_FEED in flight or done: which figure each message carries, so its processing report settles
-- each SKU (accepted, or the error Amazon gave) and the lag is measured from the change that marked it.
CREATE TABLE "AmazonFeed" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "channelId" TEXT NOT NULL REFERENCES "Channel" ("id") ON DELETE CASCADE,
  "feedId" TEXT NOT NULL,
  "status" TEXT NOT NULL, -- submitted | done | fatal
  "messages" TEXT NOT NULL, -- JSON: [{ messageId, variantId, sku, quantity, through, dirtyAt }]
  "submittedAt" TIMESTAMPTZ(3) NOT NULL,
  "settledAt" TIMESTAMPTZ(3),
  "error" TEXT
);
CREATE INDEX "AmazonFeed_shopId_channelId_status_idx" ON "AmazonFeed" ("shopId", "channelId", "status");
