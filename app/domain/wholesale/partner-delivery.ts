// Sending a trading partner its documents (ADR 0023), as pure rules: what a delivery setting must say, what a
// document is called on the partner's server, and which documents are due.
import { z } from "zod";

/** Attempts per document before it is left as failed (the merchant downloads it, or fixes the server and retries). */
export const MAX_DELIVERY_ATTEMPTS = 8;

/** An SSH host key fingerprint as `ssh-keygen -lf` prints it: SHA256: and 43 characters of unpadded base64. */
const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;
const HOST = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\d{1,3}(\.\d{1,3}){3}$/;

export const sftpDeliveryInput = z
  .object({
    kind: z.literal("sftp"),
    host: z.string().trim().regex(HOST, "a host name or IPv4 address"),
    port: z.number().int().min(1).max(65_535).default(22),
    username: z.string().trim().min(1).max(128),
    password: z.string().min(1).max(1_024).optional(),
    privateKey: z.string().min(1).max(16_384).refine((k) => /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(k), "an OpenSSH or PEM private key").optional(),
    directory: z.string().trim().min(1).max(512).refine((d) => !d.split("/").includes(".."), "no .. in the path"),
    hostKeySha256: z.string().trim().regex(FINGERPRINT, "the server's host key fingerprint as ssh-keygen -lf prints it (SHA256:…)"),
  })
  .strict()
  .refine((s) => (s.password === undefined) !== (s.privateKey === undefined), { message: "give either password or privateKey", path: ["password"] });

export type SftpDeliveryInput = z.output<typeof sftpDeliveryInput>;

/** The secret a setting carries and how it authenticates. */
export function credentialOf(input: SftpDeliveryInput): { authKind: "password" | "key"; secret: string } {
  return input.password !== undefined ? { authKind: "password", secret: input.password } : { authKind: "key", secret: input.privateKey! };
}

export interface OutgoingDocument {
  id: string;
  type: string;
  documentKey: string;
  interchangeControl: number | null;
}

/**
 * The file a document becomes on the partner's server: its type, our interchange control number and the document
 * key (unique per partner and type), so a partner's pickup script can sort by it and two documents never share a name.
 */
export function remoteFileName(partnerCode: string, doc: OutgoingDocument): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_");
  const control = doc.interchangeControl === null ? "" : `_${String(doc.interchangeControl).padStart(9, "0")}`;
  return `${safe(partnerCode)}_${safe(doc.type)}${control}_${safe(doc.documentKey)}.edi`;
}

export interface DeliveryState {
  status: "sent" | "failed";
  attempts: number;
}

/** Whether a document is due: never tried, or failed with attempts left. Sent is final. */
export function isDue(state: DeliveryState | undefined): boolean {
  if (!state) return true;
  return state.status === "failed" && state.attempts < MAX_DELIVERY_ATTEMPTS;
}

/** The state after one try at sending a document. */
export function afterAttempt(state: DeliveryState | undefined, outcome: { ok: true } | { ok: false }): DeliveryState {
  const attempts = (state?.attempts ?? 0) + 1;
  return outcome.ok ? { status: "sent", attempts } : { status: "failed", attempts };
}
