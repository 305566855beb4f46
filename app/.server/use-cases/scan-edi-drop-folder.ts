import { lstat, mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { database } from "../db/database";
import { findShopByDomain } from "../db/shops";
import { AppError } from "../errors";
import { inFolder, isDropFileName, isShopFolderName, shopDropFolder, takenName, type ShopDropFolder } from "../imports/drop-folder";
import { enqueueImport } from "../jobs/queue";
import { createImport } from "./create-import";
import { DROP_FOLDER_SOURCE } from "./deliver-drop-folder-result";

// The EDI drop folder (ADR 0021): trading partners' X12 files written by an SFTP server into
// <dir>/<shop domain>/in/ become imports exactly as uploads do. Each settled file (not modified for `settleMs`: the
// server may still be writing a fresh one) is moved to processing/ by rename — atomic, so a file is taken once
// however many scanners look —, recorded as an import (source drop-folder, format x12, line by line: each PO of an
// interchange is its own document and its own AK2 in the 997), moved to done/ once the import holds it, and then
// run by the import job, which writes the 997 to out/ (deliver-drop-folder-result.ts). A file that cannot be taken
// at all goes to failed/ with <name>.error.txt. Folders that are not an installed shop's are left alone and logged.

export interface DropScanReport {
  taken: { shopDomain: string; file: string; importId: string }[];
  failed: { shopDomain: string; file: string; error: string }[];
  /** Files left for a later scan: modified less than the settle time ago. */
  unsettled: number;
  /** Folders in the drop folder that are no installed shop's. */
  ignored: string[];
}

const log = (message: string) => console.warn(`[edi-drop] ${message}`);
const code = (error: unknown) => (error as NodeJS.ErrnoException)?.code;

/** Scan every shop's in/ folder once (the scheduled job; tests call it directly). */
export async function scanEdiDropFolder(opts: { dir: string; settleMs: number; now?: () => Date }): Promise<DropScanReport> {
  const report: DropScanReport = { taken: [], failed: [], unsettled: 0, ignored: [] };
  const now = opts.now ?? (() => new Date());
  let entries;
  try {
    entries = await readdir(opts.dir, { withFileTypes: true });
  } catch (error) {
    if (code(error) === "ENOENT") {
      log(`EDI_DROP_DIR ${opts.dir} does not exist: nothing to scan`);
      return report;
    }
    throw error;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory()) continue;
    const shop = isShopFolderName(entry.name) ? await findShopByDomain(database(), entry.name) : undefined;
    if (!shop || shop.status !== "installed") {
      report.ignored.push(entry.name);
      log(`ignoring ${JSON.stringify(entry.name.slice(0, 100))} in ${opts.dir}: ${shop ? "the shop is not installed" : "no installed shop has this domain"}`);
      continue;
    }
    await scanShop(shop.id, shop.domain, shopDropFolder(opts.dir, shop.domain), opts.settleMs, now, report);
  }
  return report;
}

async function scanShop(shopId: string, shopDomain: string, folder: ShopDropFolder, settleMs: number, now: () => Date, report: DropScanReport): Promise<void> {
  const inbox = await lstat(folder.in).catch(() => null);
  if (!inbox?.isDirectory()) return;
  for (const name of ["processing", "done", "failed", "out"] as const) await mkdir(folder[name], { recursive: true });
  const files = (await readdir(folder.in, { withFileTypes: true })).filter((f) => f.isFile() && isDropFileName(f.name)).map((f) => f.name).sort();
  for (const name of files) {
    const stat = await lstat(inFolder(folder.in, name)).catch(() => null);
    if (!stat?.isFile()) continue;
    if (now().getTime() - stat.mtimeMs < settleMs) {
      report.unsettled += 1;
      continue;
    }
    const taken = takenName(name, now());
    try {
      await rename(inFolder(folder.in, name), inFolder(folder.processing, taken));
    } catch (error) {
      if (code(error) === "ENOENT") continue; // another scanner took it
      throw error;
    }
    await takeFile(shopId, shopDomain, folder, name, taken, report);
  }
}

async function takeFile(shopId: string, shopDomain: string, folder: ShopDropFolder, name: string, taken: string, report: DropScanReport): Promise<void> {
  const processing = inFolder(folder.processing, taken);
  let bytes: Buffer;
  try {
    bytes = await readFile(processing);
  } catch (error) {
    return setApart(shopDomain, folder, name, taken, `the file could not be read: ${(error as Error).message}`, report);
  }
  let importId: string;
  try {
    importId = (await createImport(shopId, { format: "x12", bytes, filename: name, source: DROP_FOLDER_SOURCE, sourceRef: taken, mode: "line-by-line" }, { queue: false })).importId;
  } catch (error) {
    if (error instanceof AppError && error.type !== "unexpected_state") return setApart(shopDomain, folder, name, taken, error.message, report);
    // The database away: the file goes back to in/ and is taken at a later scan.
    await rename(processing, inFolder(folder.in, name)).catch(() => undefined);
    log(`${shopDomain}: ${name} left in in/ for the next scan: ${(error as Error).message}`);
    return;
  }
  await rename(processing, inFolder(folder.done, taken));
  await enqueueImport(shopId, importId);
  report.taken.push({ shopDomain, file: name, importId });
}

async function setApart(shopDomain: string, folder: ShopDropFolder, name: string, taken: string, error: string, report: DropScanReport): Promise<void> {
  await rename(inFolder(folder.processing, taken), inFolder(folder.failed, taken)).catch(() => undefined);
  await writeFile(inFolder(folder.failed, `${taken}.error.txt`), `${name}: not imported: ${error}\n`);
  report.failed.push({ shopDomain, file: name, error });
  log(`${shopDomain}: ${name} moved to failed/: ${error}`);
}
