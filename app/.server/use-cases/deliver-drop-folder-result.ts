import { rename, writeFile } from "node:fs/promises";
import type { X12InterchangeHeader } from "~/domain/edi/x12-model";
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
// another partner's interchange of the same number gets _<sender id> added), written whole or not at all, and its
// TA1 beside it as out/TA1_<ISA13>.edi when there is one; and a file that could not be read at all (the import
// failed on it as a whole) moved from done/ to failed/ with <name>.error.txt saying why, and the TA1 rejecting the
// interchange it failed in written to out/ when one was made. The SFTP server serves out/ back to the partners.

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
    /** The kept `type` answering `interchange` (997, TA1), written to out/ once. */
    const deliver = async (type: "997" | "TA1", interchange: X12InterchangeHeader) => {
      const partner = await tradingPartnerByIsa(db, shopId, interchange.sender.qualifier, interchange.sender.id);
      if (!partner) return;
      const kept = await keptEdiDocument(db, shopId, partner.id, "out", type, interchangeKey({ interchange }));
      if (!kept) return;
      const sender = interchange.sender.id.replace(/[^A-Za-z0-9-]/g, "_");
      const name = await freeName(folder.out, kept.content, [`${type}_${interchange.controlNumber}.edi`, `${type}_${interchange.controlNumber}_${sender}.edi`]);
      if (name) await writeAtomically(folder.out, name, kept.content);
      else console.warn(`[edi-drop] ${shop.domain}: out/ already holds other ${type}s for interchange ${interchange.controlNumber}; not written (import ${importId})`);
    };
    if (imp.status === "failed" && imp.totalLines === 0) {
      await rename(inFolder(folder.done, imp.sourceRef), inFolder(folder.failed, imp.sourceRef));
      await writeFile(inFolder(folder.failed, `${imp.sourceRef}.error.txt`), `${imp.filename ?? imp.sourceRef}: import ${imp.id}: ${imp.error ?? "not imported"}\n`);
      // Refused whole for its envelope: the TA1 saying so, when one was made.
      if (imp.acknowledgement) {
        const read = readInterchanges(await importFileBytes(shopId, imp.fileId));
        if (!read.ok && read.interchange) await deliver("TA1", read.interchange);
      }
      return;
    }
    const read = readInterchanges(await importFileBytes(shopId, imp.fileId));
    if (!read.ok) return;
    for (const interchange of read.interchanges) {
      if (interchange.ackRequested) await deliver("TA1", interchange);
      await deliver("997", interchange);
    }
  } catch (error) {
    console.warn(`[edi-drop] the results of import ${importId} were not written to the drop folder: ${(error as Error).message}`);
  }
}
