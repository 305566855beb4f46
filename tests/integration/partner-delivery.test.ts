import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { generateEd25519 } from "../../sandbox/sftp/keys";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { database } from "~/.server/db/database";
import { ensureShop } from "~/.server/db/shops";
import { insertEdiDocument } from "~/.server/db/trading-partners-sql";
import { deliverPartnerDocuments } from "~/.server/use-cases/deliver-partner-documents";
import { createTradingPartner } from "~/.server/use-cases/manage-trading-partners";
import { MAX_DELIVERY_ATTEMPTS } from "~/domain/wholesale/partner-delivery";
import type { TradingPartner } from "~/domain/wholesale/trading-partner";
import { action as deliveryAction, loader as deliveryLoader } from "~/routes/api.v1.partners.$id.delivery";
import { action as pageAction, loader as pageLoader } from "~/routes/app.partners.$id.documents";
import { mintSessionToken } from "../../sandbox/shopify/session-token";
import { startSftpStandIn, type SftpStandIn } from "../../sandbox/sftp/server";
import { addOfflineSession } from "../support/sessions";
import { queryRow } from "../support/db-query";
import { bearerArgs, BROWSER_UA } from "../support/requests";

// ADR 0023: a trading partner's documents sent to its SFTP server (a stand-in on loopback) — only to the server
// whose host key was pinned, written whole under a temporary name and renamed into place, each once (a file found
// there already counts as sent), a refused write tried again up to the limit, an unreachable server costing no
// attempt; the credential stored encrypted and never shown; another shop's partner out of reach.

const SHOP = "partner-delivery.myshopify.com";
const OTHER = "partner-delivery-other.myshopify.com";
const token = (shop = SHOP) => mintSessionToken({ apiKey: process.env.SHOPIFY_API_KEY!, apiSecret: process.env.SHOPIFY_API_SECRET! }, shop);
const X12_IDS = { isaQualifier: "ZZ", gsId: "ACMEGS", ourIsaQualifier: "ZZ", ourIsaId: "OURSHOP", ourGsId: "OURGS" };

let shopId: string;
let acme: TradingPartner;
let keyed: TradingPartner;
let root: string;
let server: SftpStandIn;
let keyServer: SftpStandIn;
const clientKey = generateEd25519();

beforeAll(async () => {
  shopId = (await ensureShop(SHOP)).id;
  await ensureShop(OTHER);
  await addOfflineSession(SHOP);
  await addOfflineSession(OTHER);
  acme = await createTradingPartner(shopId, { code: "ACME", name: "Acme Stores", currency: "USD", isaId: "ACMESTORES", ...X12_IDS, documents: ["855", "856", "810"] });
  keyed = await createTradingPartner(shopId, { code: "KEYED", name: "Keyed Buyer", currency: "USD", isaId: "KEYEDBUYER", ...X12_IDS, documents: ["855"] });
  root = mkdtempSync(path.join(tmpdir(), "oms-sftp-"));
  server = await startSftpStandIn({ root: path.join(root, "acme"), username: "oms", password: "pa55word" });
  keyServer = await startSftpStandIn({ root: path.join(root, "keyed"), username: "oms", publicKey: clientKey.public });
});
afterAll(async () => {
  await server?.close();
  await keyServer?.close();
  rmSync(root, { recursive: true, force: true });
});

const api = (method: string, ref: string, body?: unknown, shop = SHOP) => {
  const request = new Request(`http://127.0.0.1:3999/api/v1/partners/${ref}/delivery`, {
    method, headers: { Authorization: `Bearer ${token(shop)}`, "Content-Type": "application/json", "User-Agent": "Mozilla/5.0 Chrome/156" }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return method === "GET" ? deliveryLoader({ request, params: { id: ref }, context: {} }) : deliveryAction({ request, params: { id: ref }, context: {} });
};

let docs = 0;
async function keep(partner: TradingPartner, type: string, content = `ISA*00*...*${type}~`) {
  const documentKey = `doc-${++docs}`;
  await database().transaction((tx) => insertEdiDocument(tx, shopId, { partnerId: partner.id, direction: "out", type, documentKey, orderId: null, importId: null, interchangeControl: docs, content }));
  return { documentKey, name: `${partner.code}_${type}_${String(docs).padStart(9, "0")}_${documentKey}.edi` };
}
const files = (dir: string) => readdirSync(path.join(root, dir)).sort();
const settings = (over: Record<string, unknown> = {}) => ({ kind: "sftp", host: "127.0.0.1", port: server.port, username: "oms", password: "pa55word", directory: "/", hostKeySha256: server.hostKeySha256, ...over });

describe("a trading partner's documents sent by SFTP", () => {
  it("is set through the API, keeps the secret encrypted and never shows it, and refuses a bad setting with every reason", async () => {
    const bad = await api("PUT", "ACME", { kind: "sftp", host: "no host!", username: "", directory: "/", hostKeySha256: "md5:aa" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/host: .*username: .*hostKeySha256: .*password: give either password or privateKey/);

    const before = await keep(acme, "855"); // kept before the delivery was set: the merchant has it already
    const set = await api("PUT", "ACME", settings());
    expect(set.status).toBe(200);
    const { delivery } = (await set.json()) as { delivery: Record<string, unknown> };
    expect(delivery).toMatchObject({ kind: "sftp", host: "127.0.0.1", port: server.port, username: "oms", authKind: "password", directory: "/", hostKeySha256: server.hostKeySha256, counts: { sent: 0, failed: 0, givenUp: 0 } });
    expect(JSON.stringify(delivery)).not.toContain("pa55word");
    const stored = await queryRow<{ secret: string }>(`SELECT "secret" FROM "PartnerDelivery" WHERE "shopId" = ? AND "partnerId" = ?`, shopId, acme.id);
    expect(stored!.secret).toMatch(/^v1\./);
    expect(stored!.secret).not.toContain("pa55word");
    expect((await api("GET", "ACME", undefined, OTHER)).status).toBe(404); // another shop's partner
    await deliverPartnerDocuments();
    expect(files("acme")).not.toContain(before.name);
  });

  it("sends each new document once, whole, under its name; a file already there counts as sent", async () => {
    const a = await keep(acme, "855", "ISA*00*ack~");
    const b = await keep(acme, "856", "ISA*00*asn~");
    const c = await keep(acme, "810", "ISA*00*inv~");
    writeFileSync(path.join(root, "acme", c.name), "ISA*00*inv~"); // sent before a crash lost our record of it
    const first = await deliverPartnerDocuments();
    expect(first).toMatchObject({ sent: 3, failed: 0, unreachable: 0 });
    expect(files("acme")).toEqual([a.name, b.name, c.name].sort());
    expect(readFileSync(path.join(root, "acme", b.name), "utf8")).toBe("ISA*00*asn~");
    expect(files("acme").some((f) => f.endsWith(".part"))).toBe(false);
    const connections = server.connections;
    expect(await deliverPartnerDocuments()).toMatchObject({ sent: 0, partners: 0 }); // nothing due: no connection at all
    expect(server.connections).toBe(connections);
    const { delivery } = (await (await api("GET", "ACME")).json()) as { delivery: { counts: unknown; lastError: unknown; lastRunAt: unknown } };
    expect(delivery).toMatchObject({ counts: { sent: 3, failed: 0, givenUp: 0 }, lastError: null, lastRunAt: expect.any(String) });
  });

  it("a refused write is tried again next round, up to the limit; new settings give it another chance", async () => {
    const d = await keep(acme, "856", "ISA*00*asn2~");
    server.failWrites = true;
    for (let i = 0; i < MAX_DELIVERY_ATTEMPTS; i++) expect(await deliverPartnerDocuments()).toMatchObject({ sent: 0, failed: 1 });
    expect(await deliverPartnerDocuments()).toMatchObject({ failed: 0, partners: 0 }); // given up
    const row = await queryRow<{ status: string; attempts: number; lastError: string }>(`SELECT x."status", x."attempts", x."lastError" FROM "EdiDelivery" x JOIN "EdiDocument" e ON e."id" = x."documentId" WHERE x."shopId" = ? AND e."documentKey" = ?`, shopId, d.documentKey);
    expect(row).toMatchObject({ status: "failed", attempts: MAX_DELIVERY_ATTEMPTS, lastError: expect.stringMatching(/no space left/) });
    expect(((await (await api("GET", "ACME")).json()) as { delivery: { counts: unknown } }).delivery.counts).toEqual({ sent: 3, failed: 1, givenUp: 1 });

    server.failWrites = false;
    expect((await api("PUT", "ACME", settings())).status).toBe(200);
    expect(await deliverPartnerDocuments()).toMatchObject({ sent: 1, failed: 0 });
    expect(files("acme")).toContain(d.name);
  });

  it("does not send to a server whose host key is not the pinned one, nor when it is down; no attempt is counted", async () => {
    expect((await api("PUT", "ACME", settings({ hostKeySha256: keyServer.hostKeySha256 }))).status).toBe(200); // the wrong server's key
    const e = await keep(acme, "810", "ISA*00*inv2~");
    expect(await deliverPartnerDocuments()).toMatchObject({ sent: 0, unreachable: 1 });
    const { delivery } = (await (await api("GET", "ACME")).json()) as { delivery: { lastError: string } };
    expect(delivery.lastError).toMatch(new RegExp(`host key is ${server.hostKeySha256.replace(/[+/]/g, "\\$&")}, not the pinned`));
    expect(files("acme")).not.toContain(e.name);

    expect((await api("PUT", "ACME", settings({ port: 1 }))).status).toBe(200); // nothing listens there
    expect(await deliverPartnerDocuments()).toMatchObject({ sent: 0, unreachable: 1 });
    expect(await queryRow(`SELECT x."attempts" FROM "EdiDelivery" x JOIN "EdiDocument" e ON e."id" = x."documentId" WHERE x."shopId" = ? AND e."documentKey" = ?`, shopId, e.documentKey)).toBeUndefined();

    expect((await api("PUT", "ACME", settings())).status).toBe(200);
    expect(await deliverPartnerDocuments()).toMatchObject({ sent: 1 });
    expect(files("acme")).toContain(e.name);
  });

  it("authenticates with a private key; DELETE stops the sending", async () => {
    const set = await api("PUT", "KEYED", { kind: "sftp", host: "127.0.0.1", port: keyServer.port, username: "oms", privateKey: clientKey.private, directory: "/", hostKeySha256: keyServer.hostKeySha256 });
    expect(((await set.json()) as { delivery: { authKind: string } }).delivery.authKind).toBe("key");
    const f = await keep(keyed, "855", "ISA*00*keyed~");
    expect(await deliverPartnerDocuments()).toMatchObject({ sent: 1 });
    expect(files("keyed")).toEqual([f.name]);

    expect(await (await api("DELETE", "KEYED")).json()).toEqual({ removed: true });
    const g = await keep(keyed, "855", "ISA*00*keyed2~");
    await deliverPartnerDocuments();
    expect(files("keyed")).not.toContain(g.name);
    expect(await (await api("GET", "KEYED")).json()).toEqual({ delivery: null });
  });

  it("is set, shown and stopped on the partner's documents page", async () => {
    const page = async () => (await pageLoader(bearerArgs(`/app/partners/${keyed.id}/documents`, token(), { id: keyed.id }))) as Awaited<ReturnType<typeof pageLoader>>;
    const submit = async (fields: Record<string, string>) => {
      const request = new Request(`http://127.0.0.1:3999/app/partners/${keyed.id}/documents`, {
        method: "POST", headers: { Authorization: `Bearer ${token()}`, "User-Agent": BROWSER_UA, "Content-Type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString(),
      });
      return (await pageAction({ request, params: { id: keyed.id }, context: {} })) as { ok: boolean; error: string | null };
    };
    expect((await page()).delivery).toBeNull();
    const form = { intent: "saveDelivery", host: "127.0.0.1", port: String(keyServer.port), username: "oms", authKind: "key", secret: clientKey.private, directory: "/", hostKeySha256: keyServer.hostKeySha256 };
    expect(await submit({ ...form, hostKeySha256: "" })).toEqual({ ok: false, error: expect.stringMatching(/^hostKeySha256: /) });
    expect(await submit(form)).toEqual({ ok: true, error: null });
    const shown = (await page()).delivery!;
    expect(shown).toMatchObject({ host: "127.0.0.1", authKind: "key", lastError: null });
    const h = await keep(keyed, "855", "ISA*00*page~");
    await deliverPartnerDocuments();
    expect(files("keyed")).toContain(h.name);
    expect((await page()).delivery!.counts.sent).toBe(shown.counts.sent + 1);
    expect(await submit({ intent: "removeDelivery" })).toEqual({ ok: true, error: null });
    expect((await page()).delivery).toBeNull();
  });
});
