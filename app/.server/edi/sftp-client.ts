import { createHash } from "node:crypto";
import { posix } from "node:path";
import { Client, type SFTPWrapper } from "ssh2";

// One SFTP session to a trading partner's server (ADR 0023): the server is accepted only when its host key matches
// the fingerprint the merchant pinned; files are written under a temporary name and renamed into place, so the
// partner's pickup never reads half a file.

export interface SftpTarget {
  host: string;
  port: number;
  username: string;
  auth: { kind: "password"; password: string } | { kind: "key"; privateKey: string };
  hostKeySha256: string;
  directory: string;
}

export interface SftpSession {
  /** Whether `name` is in the target directory already (a file sent before our record of it was written). */
  exists(name: string): Promise<boolean>;
  /** Writes `name` in the target directory: `<name>.part` first, renamed into place once whole. */
  put(name: string, content: string): Promise<void>;
  close(): void;
}

const TIMEOUT_MS = 15_000;
/** One SFTP operation (a stat, a file write, a rename) that has not answered by then fails, and the session is closed. */
const OPERATION_TIMEOUT_MS = 60_000;

/** OpenSSH's fingerprint of a host key: SHA256: and the unpadded base64 of its digest. */
export function fingerprintOf(hostKey: Buffer): string {
  return `SHA256:${createHash("sha256").update(hostKey).digest("base64").replace(/=+$/, "")}`;
}

export function openSftp(target: SftpTarget): Promise<SftpSession> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let seen: string | null = null;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(error);
    };
    client.on("error", (error) => fail(seen !== null && seen !== target.hostKeySha256 ? new Error(`the server's host key is ${seen}, not the pinned ${target.hostKeySha256}: not sent`) : error));
    client.on("ready", () => {
      client.sftp((error, sftp) => {
        if (error) return fail(error);
        settled = true;
        resolve(session(client, sftp, target.directory));
      });
    });
    client.connect({
      host: target.host,
      port: target.port,
      username: target.username,
      ...(target.auth.kind === "password" ? { password: target.auth.password } : { privateKey: target.auth.privateKey }),
      readyTimeout: TIMEOUT_MS,
      hostVerifier: (key: Buffer) => {
        seen = fingerprintOf(key);
        return seen === target.hostKeySha256;
      },
    });
  });
}

function session(client: Client, sftp: SFTPWrapper, directory: string): SftpSession {
  const at = (name: string) => posix.join(directory, name);
  const call = <T>(run: (done: (error: Error | null | undefined, value?: T) => void) => void) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.end();
        reject(new Error(`the server did not answer within ${OPERATION_TIMEOUT_MS / 1000} s`));
      }, OPERATION_TIMEOUT_MS);
      run((error, value) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(value as T);
      });
    });
  return {
    async exists(name) {
      try {
        await call((done) => sftp.stat(at(name), done));
        return true;
      } catch (error) {
        if ((error as { code?: number }).code === 2) return false; // SSH_FX_NO_SUCH_FILE
        throw error;
      }
    },
    async put(name, content) {
      const part = at(`${name}.part`);
      await call((done) => sftp.writeFile(part, content, done));
      await call((done) => sftp.rename(part, at(name), done));
    },
    close() {
      client.end();
    },
  };
}
