import { rename, writeFile } from "node:fs/promises";
import { readInterchanges } from "~/domain/edi/x12-read";
import { interchangeKey } from "~/domain/wholesale/x12-po-ack";
import { database } from "../db/database";
import { keptEdiDocument } from "../db/edi-inbound-sql";
import { findImport } from "../db/imports-sql";
import { findShopById } from "../db/shops";
import { tradingPartnerByIsa } from "../db/trading-partners-sql";
import { env } from "../env";
import { freeName, inFolder, shopDropFolder, writeAtomically } from "../imports/drop-folder";
import { importFileBytes } from "./create-import";

// What an import of a file from the EDI drop folder leaves there once it has run (ADR 0021): the 997 of each
// interchange from a known partner, as out/997_<ISA13>.edi (the ISA13 of the partner's interchange it answers;
// another partner's interchange of the same number gets _<sender id> added), written whole or not at all; and a
// file that could not be read at all (the import failed on it as a whole) moved from done/ to failed/ with
// <name>.error.txt saying why. The SFTP server serves out/ back to the partners.

export const DROP_FOLDER_SOURCE = "drop-folder" as const;

/** Called by the import job when an import of source drop-folder finishes. Never throws: the import is done. */
export async function deliverDropFolderResult(shopId: string, importId: string): Promise<void> {
  try {
    const dir = env().EDI_DROP_DIR;
    if (!dir) return;
    const db = database();
    const [imp, shop] = await Promise.all([findImport(db, shopId, importId), findShopById(db, shopId)]);
    if (!imp || !shop || !imp.sourceRef || !imp.fileId) return;
    const folder = shopDropFolder(dir, shop.domain);
    if (imp.status === "failed" && imp.totalLines === 0) {
      await rename(inFolder(folder.done, imp.sourceRef), inFolder(folder.failed, imp.sourceRef));
      await writeFile(inFolder(folder.failed, `${imp.sourceRef}.error.txt`), `${imp.filename ?? imp.sourceRef}: import ${imp.id}: ${imp.error ?? "not imported"}\n`);
      return;
    }
    const read = readInterchanges(await importFileBytes(shopId, imp.fileId));
    if (!read.ok) return;
    for (const interchange of read.interchanges) {
      const partner = await tradingPartnerByIsa(db, shopId, interchange.sender.qualifier, interchange.sender.id);
      if (!partner) continue;
      const kept = await keptEdiDocument(db, shopId, partner.id, "out", "997", interchangeKey({ interchange }));
      if (!kept) continue;
      const sender = interchange.sender.id.replace(/[^A-Za-z0-9-]/g, "_");
      const name = await freeName(folder.out, kept.content, [`997_${interchange.controlNumber}.edi`, `997_${interchange.controlNumber}_${sender}.edi`]);
      if (name) await writeAtomically(folder.out, name, kept.content);
      else console.warn(`[edi-drop] ${shop.domain}: out/ already holds other 997s for interchange ${interchange.controlNumber}; not written (import ${importId})`);
    }
  } catch (error) {
    console.warn(`[edi-drop] the results of import ${importId} were not written to the drop folder: ${(error as Error).message}`);
  }
}
