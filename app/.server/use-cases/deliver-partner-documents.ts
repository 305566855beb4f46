import { afterAttempt, credentialOf, isDue, MAX_DELIVERY_ATTEMPTS, remoteFileName, sftpDeliveryInput, type SftpDeliveryInput } from "~/domain/wholesale/partner-delivery";
import { audit } from "../db/audit";
import { database } from "../db/database";
import {
  deletePartnerDelivery, deliveryCounts, partnerDeliveriesAcrossShops, partnerDeliveryOf, recordDeliveryRun, recordDocumentDelivery, retryGivenUpDeliveries,
  undeliveredDocuments, upsertPartnerDelivery, type DeliveryCounts, type PartnerDeliveryRow,
} from "../db/partner-delivery-sql";
import { openSftp, type SftpSession, type SftpTarget } from "../edi/sftp-client";
import { AppError } from "../errors";
import { openSecret, sealSecret } from "../secrets";
import { findTradingPartner } from "./manage-trading-partners";

// Trading partners' documents sent by SFTP (ADR 0023). The merchant sets where (PUT /api/v1/partners/:id/delivery);
// the worker's round opens one session per partner and sends every outgoing document kept since then that is not
// sent yet: the 855, 856 and 810 we write, the 997 (and TA1) we answer with. A file already on the server under its
// name (sent, then the record of it lost to a crash) counts as sent; a refused file is tried again next round, up
// to MAX_DELIVERY_ATTEMPTS; a server that cannot be reached changes no document's count.

const PER_ROUND = 200;
const purpose = (partnerId: string) => `partner-delivery:${partnerId}`;

export interface DeliveryView {
  kind: "sftp";
  host: string;
  port: number;
  username: string;
  authKind: "password" | "key";
  directory: string;
  hostKeySha256: string;
  startsAt: string;
  lastRunAt: string | null;
  lastError: string | null;
  counts: DeliveryCounts;
}

function view(row: PartnerDeliveryRow, counts: DeliveryCounts): DeliveryView {
  const { host, port, username, authKind, directory, hostKeySha256, startsAt, lastRunAt, lastError } = row;
  return { kind: "sftp", host, port: Number(port), username, authKind, directory, hostKeySha256, startsAt, lastRunAt, lastError, counts };
}

export async function readPartnerDelivery(shopId: string, reference: string): Promise<{ partnerId: string; delivery: DeliveryView | null }> {
  const partner = await findTradingPartner(shopId, reference);
  const row = await partnerDeliveryOf(database(), shopId, partner.id);
  return { partnerId: partner.id, delivery: row ? view(row, await deliveryCounts(database(), shopId, partner.id, MAX_DELIVERY_ATTEMPTS)) : null };
}

/** Sets (or replaces) the partner's SFTP delivery. The secret is stored encrypted and never shown again. */
export async function setPartnerDelivery(shopId: string, reference: string, input: unknown, opts: { actor: string; now?: Date }): Promise<DeliveryView> {
  const parsed = sftpDeliveryInput.safeParse(input);
  if (!parsed.success) throw new AppError("invalid_data", "DELIVERY.INVALID", parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; "));
  const partner = await findTradingPartner(shopId, reference);
  const s: SftpDeliveryInput = parsed.data;
  const { authKind, secret } = credentialOf(s);
  await database().transaction(async (tx) => {
    await upsertPartnerDelivery(tx, shopId, partner.id, { host: s.host, port: s.port, username: s.username, authKind, secret: sealSecret(secret, purpose(partner.id)), directory: s.directory, hostKeySha256: s.hostKeySha256 }, opts.now ?? new Date());
    await retryGivenUpDeliveries(tx, shopId, partner.id); // new settings: what failed for good gets another chance
    await audit(tx, shopId, opts.actor, "partner.delivery_set", { type: "trading_partner", id: partner.id }, { kind: "sftp", host: s.host, port: s.port, username: s.username, directory: s.directory, hostKeySha256: s.hostKeySha256 });
  });
  return (await readPartnerDelivery(shopId, partner.id)).delivery!;
}

export async function removePartnerDelivery(shopId: string, reference: string, opts: { actor: string }): Promise<boolean> {
  const partner = await findTradingPartner(shopId, reference);
  return database().transaction(async (tx) => {
    const removed = await deletePartnerDelivery(tx, shopId, partner.id);
    if (removed) await audit(tx, shopId, opts.actor, "partner.delivery_removed", { type: "trading_partner", id: partner.id }, {});
    return removed;
  });
}

export interface DeliveryRound {
  partners: number;
  sent: number;
  failed: number;
  unreachable: number;
}

type Connect = (target: SftpTarget) => Promise<SftpSession>;

/** One round over every partner that has its documents sent. */
export async function deliverPartnerDocuments(opts: { connect?: Connect; now?: Date } = {}): Promise<DeliveryRound> {
  const connect = opts.connect ?? openSftp;
  const round: DeliveryRound = { partners: 0, sent: 0, failed: 0, unreachable: 0 };
  for (const d of await partnerDeliveriesAcrossShops(database())) {
    const due = (await undeliveredDocuments(database(), d.shopId, d.partnerId, d.startsAt, MAX_DELIVERY_ATTEMPTS, PER_ROUND)).filter((doc) => isDue(doc.state ?? undefined));
    if (due.length === 0) continue;
    round.partners += 1;
    let session: SftpSession;
    try {
      const secret = openSecret(d.secret, purpose(d.partnerId));
      session = await connect({ host: d.host, port: Number(d.port), username: d.username, hostKeySha256: d.hostKeySha256, directory: d.directory, auth: d.authKind === "password" ? { kind: "password", password: secret } : { kind: "key", privateKey: secret } });
    } catch (error) {
      round.unreachable += 1;
      await database().transaction((tx) => recordDeliveryRun(tx, d.shopId, d.partnerId, `could not connect to ${d.host}:${d.port}: ${(error as Error).message}`, opts.now));
      continue;
    }
    try {
      for (const doc of due) {
        const name = remoteFileName(d.partnerCode, doc);
        let error: string | null = null;
        try {
          if (!(await session.exists(name))) await session.put(name, doc.content);
        } catch (e) {
          error = (e as Error).message || String(e);
        }
        const state = afterAttempt(doc.state ?? undefined, error === null ? { ok: true } : { ok: false });
        await database().transaction((tx) => recordDocumentDelivery(tx, d.shopId, doc.id, name, state, error, opts.now));
        if (error === null) round.sent += 1;
        else round.failed += 1;
      }
      await database().transaction((tx) => recordDeliveryRun(tx, d.shopId, d.partnerId, null, opts.now));
    } finally {
      session.close();
    }
  }
  return round;
}
