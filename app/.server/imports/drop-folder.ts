import { randomBytes } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

// The EDI drop folder's layout (ADR 0021): <EDI_DROP_DIR>/<shop domain>/ holds in/ (where the SFTP server writes),
// processing/ (a file being taken: moved there by rename, so one scanner takes it once), done/ (its import holds
// it), failed/ (it could not be read at all: <name>.error.txt beside it says why) and out/ (our 997s). Every
// name used here is one path component checked here: a shop folder is a shop domain, a file name has no separator,
// no leading dot (SFTP servers upload to hidden or .part names first) and no traversal.

export const DROP_FOLDERS = ["in", "processing", "done", "failed", "out"] as const;
export type DropFolderName = (typeof DROP_FOLDERS)[number];
export type ShopDropFolder = Record<DropFolderName, string> & { root: string };

const SHOP_DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const IN_PROGRESS = /\.(?:part|partial|filepart|tmp|temp|crdownload)$/i;

/** A folder name that can be a shop's: a lower-case domain name (no "..", no separator). */
export function isShopFolderName(name: string): boolean {
  return name.length <= 255 && SHOP_DOMAIN.test(name);
}

/** A file name the scan takes: one component, not hidden, not an upload still in progress. */
export function isDropFileName(name: string): boolean {
  return name.length <= 200 && isComponent(name) && !IN_PROGRESS.test(name);
}

export function shopDropFolder(dir: string, shopDomain: string): ShopDropFolder {
  if (!isShopFolderName(shopDomain)) throw new Error(`not a shop folder name: ${JSON.stringify(shopDomain.slice(0, 80))}`);
  const root = path.join(dir, shopDomain);
  return { root, ...(Object.fromEntries(DROP_FOLDERS.map((f) => [f, path.join(root, f)])) as Record<DropFolderName, string>) };
}

/** The name a taken file has in processing/, done/ and failed/: when it was taken, a few random characters, its name. */
export function takenName(name: string, now: Date): string {
  return `${now.toISOString().replace(/[-:.]/g, "")}_${randomBytes(2).toString("hex")}_${name}`;
}

/** One path component: not empty, not hidden (no leading dot, so no "." or ".."), no separator or control character. */
function isComponent(name: string): boolean {
  if (name.length === 0 || name.length > 255 || name.startsWith(".")) return false;
  for (let i = 0; i < name.length; i += 1) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f || c === 0x2f || c === 0x5c) return false;
  }
  return true;
}

/** `name` in `dir`, checked to be one component of it (no separator, no leading dot: no traversal). */
export function inFolder(dir: string, name: string): string {
  if (!isComponent(name)) throw new Error(`not a file name: ${JSON.stringify(name.slice(0, 80))}`);
  return path.join(dir, name);
}

/** Write a file whole or not at all (a temporary name, then rename): a reader never sees half of it. */
export async function writeAtomically(dir: string, name: string, content: string): Promise<string> {
  const target = inFolder(dir, name);
  const temporary = path.join(dir, `.${name}.${randomBytes(3).toString("hex")}.tmp`);
  await writeFile(temporary, content);
  await rename(temporary, target);
  return target;
}

/** `name` in `dir` when it is not there or already holds `content`; else `alternative` (same rule), else null. */
export async function freeName(dir: string, content: string, names: string[]): Promise<string | null> {
  for (const name of names) {
    const existing = await readFile(inFolder(dir, name), "utf8").catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? null : Promise.reject(error)));
    if (existing === null || existing === content) return name;
  }
  return null;
}
