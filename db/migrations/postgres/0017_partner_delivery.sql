-- Sending a trading partner its documents by SFTP (ADR 0023): where and how (one setting per partner; none: the
-- merchant downloads them), and what became of each outgoing document. The password or private key is stored
-- encrypted (AES-256-GCM, app/.server/secrets.ts); the server is known by its pinned host key.
CREATE TABLE "PartnerDelivery" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "partnerId" TEXT NOT NULL REFERENCES "TradingPartner" ("id") ON DELETE CASCADE,
  "kind" TEXT NOT NULL, -- sftp
  "host" TEXT NOT NULL,
  "port" INTEGER NOT NULL DEFAULT 22,
  "username" TEXT NOT NULL,
  "authKind" TEXT NOT NULL, -- password | key
  "secret" TEXT NOT NULL, -- the password or private key, encrypted
  "directory" TEXT NOT NULL, -- where files are put on the server
  "hostKeySha256" TEXT NOT NULL, -- SHA256:<base64>, as ssh-keygen -lf prints it
  "startsAt" TIMESTAMPTZ(3) NOT NULL, -- documents kept from then on are sent (not the partner's whole history)
  "lastRunAt" TIMESTAMPTZ(3),
  "lastError" TEXT, -- the last connection failure, cleared by the next success
  "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "PartnerDelivery_partnerId_key" ON "PartnerDelivery" ("partnerId");
CREATE INDEX "PartnerDelivery_shopId_idx" ON "PartnerDelivery" ("shopId");

CREATE TABLE "EdiDelivery" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "documentId" TEXT NOT NULL REFERENCES "EdiDocument" ("id") ON DELETE CASCADE,
  "status" TEXT NOT NULL, -- sent | failed (failed: tried again until the attempts run out)
  "attempts" INTEGER NOT NULL DEFAULT 0,
  "remoteName" TEXT NOT NULL,
  "lastError" TEXT,
  "sentAt" TIMESTAMPTZ(3),
  "updatedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX "EdiDelivery_documentId_key" ON "EdiDelivery" ("documentId");
CREATE INDEX "EdiDelivery_shopId_status_idx" ON "EdiDelivery" ("shopId", "status");
