-- Imports as records (issue 12, ADR 0016): every file a merchant or an integration hands in (an Amazon order report
-- by upload, through the API or fetched from Amazon's Reports API; later X12 and CSV purchase orders) is kept, and
-- each attempt to take it in is an Import with its status, progress and one result per line. Orders stay idempotent
-- on (channel, external id): importing the same document again changes nothing.

-- The raw bytes, exactly as received (not necessarily UTF-8: Windows-1252, UTF-16, or garbage), once per shop and
-- document: gzip-compressed, then base64 in a TEXT column. The data layer binds and reads text the same way on both
-- dialects (it has no binary type: Buffers are bound as UTF-8 text on PostgreSQL), and tab-separated reports shrink
-- 5–10× under gzip, so base64's third is paid on the small form. documentHash is the hex SHA-256 of the raw bytes.
CREATE TABLE "ImportFile" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "documentHash" TEXT NOT NULL,
  "byteSize" INTEGER NOT NULL,
  "encoding" TEXT NOT NULL, -- how content holds the bytes: gzip+base64
  "content" TEXT NOT NULL,
  "createdAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE UNIQUE INDEX "ImportFile_shopId_documentHash_key" ON "ImportFile" ("shopId", "documentHash");

-- One attempt to take a file in. A re-import of the same file is a new Import naming the same ImportFile.
CREATE TABLE "Import" (
  "id" TEXT NOT NULL PRIMARY KEY,
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "channelId" TEXT REFERENCES "Channel" ("id") ON DELETE CASCADE, -- where its orders go
  "fileId" TEXT REFERENCES "ImportFile" ("id") ON DELETE CASCADE, -- null until a Reports API document is downloaded
  "format" TEXT NOT NULL, -- amazon-orders-report (x12, csv-po: later)
  "source" TEXT NOT NULL, -- upload | api | reports-api | reimport
  "sourceRef" TEXT, -- reports-api: Amazon's reportId (a retried job polls it instead of asking again); reimport: the import re-run
  "filename" TEXT,
  "charset" TEXT, -- the text encoding the sender declared, if any
  "status" TEXT NOT NULL DEFAULT 'queued', -- queued | running | done | failed
  "mode" TEXT NOT NULL DEFAULT 'all-or-nothing', -- all-or-nothing | line-by-line
  "documentHash" TEXT, -- hex SHA-256 of the raw bytes (the file's)
  "totalLines" INTEGER NOT NULL DEFAULT 0, -- data lines (the header and blank lines excluded)
  "processedLines" INTEGER NOT NULL DEFAULT 0,
  "okLines" INTEGER NOT NULL DEFAULT 0,
  "failedLines" INTEGER NOT NULL DEFAULT 0,
  "summary" TEXT, -- JSON: { orders, created, updated, unchanged, cancelled, skippedLines }
  "acknowledgement" TEXT, -- what the sender is answered with (X12: the 997); null for Amazon reports
  "error" TEXT, -- why it failed, or why nothing was imported
  "createdAt" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  "startedAt" TEXT,
  "finishedAt" TEXT
);
CREATE INDEX "Import_shopId_createdAt_idx" ON "Import" ("shopId", "createdAt");
CREATE INDEX "Import_shopId_documentHash_idx" ON "Import" ("shopId", "documentHash");

-- The result of each line of an import's file: taken in (ok, with what became of its order) or not, and why.
CREATE TABLE "ImportLine" (
  "shopId" TEXT NOT NULL REFERENCES "Shop" ("id") ON DELETE CASCADE,
  "importId" TEXT NOT NULL REFERENCES "Import" ("id") ON DELETE CASCADE,
  "lineNumber" INTEGER NOT NULL, -- in the file, the header being line 1
  "ok" BOOLEAN NOT NULL,
  "message" TEXT,
  "orderExternalId" TEXT, -- the order (document) the line belongs to, when it could be read
  "orderId" TEXT, -- our order, once stored
  PRIMARY KEY ("importId", "lineNumber")
);
