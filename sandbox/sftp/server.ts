import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, statSync, writeSync } from "node:fs";
import { posix, resolve, sep } from "node:path";
import { timingSafeEqual } from "node:crypto";
import ssh2, { type Connection, type ParsedKey, type SFTPWrapper } from "ssh2";
import { generateEd25519 } from "./keys";

// A trading partner's SFTP server, for tests and the demo (ADR 0023): one user (a password, or a public key), files
// kept under a local folder, and the SFTP operations a sender uses (stat, open for writing, write, close, rename,
// mkdir, realpath). Its host key is made fresh at start, and its fingerprint given, as a partner would tell it.
// `failWrites` makes it refuse every write (a full disk), so a sender's retries can be seen.

const { Server, utils } = ssh2;
const { STATUS_CODE, OPEN_MODE } = utils.sftp;

export interface SftpStandIn {
  port: number;
  hostKeySha256: string;
  /** The folder the server's / is. */
  root: string;
  failWrites: boolean;
  connections: number;
  close(): Promise<void>;
}

export async function startSftpStandIn(opts: { root: string; username: string; password?: string; publicKey?: string; port?: number }): Promise<SftpStandIn> {
  const hostKey = generateEd25519();
  const parsedHost = hostKey.parsed;
  const { createHash } = await import("node:crypto");
  const hostKeySha256 = `SHA256:${createHash("sha256").update(parsedHost.getPublicSSH()).digest("base64").replace(/=+$/, "")}`;
  const allowedKey = opts.publicKey ? (utils.parseKey(opts.publicKey) as ParsedKey) : null;
  mkdirSync(opts.root, { recursive: true });
  const inside = (path: string) => {
    const full = resolve(opts.root, "." + posix.normalize("/" + path));
    if (full !== resolve(opts.root) && !full.startsWith(resolve(opts.root) + sep)) throw new Error("outside the root");
    return full;
  };
  const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

  const state: SftpStandIn = { port: 0, hostKeySha256, root: opts.root, failWrites: false, connections: 0, close: async () => undefined };
  const server = new Server({ hostKeys: [hostKey.private] }, (client: Connection) => {
    state.connections += 1;
    client.on("authentication", (ctx) => {
      if (ctx.username !== opts.username) return ctx.reject();
      if (ctx.method === "password" && opts.password !== undefined && same(ctx.password, opts.password)) return ctx.accept();
      if (ctx.method === "publickey" && allowedKey && ctx.key.algo === allowedKey.type && ctx.key.data.equals(allowedKey.getPublicSSH())) {
        if (!ctx.signature) return ctx.accept(); // the client asks whether this key would do
        if (ctx.blob && allowedKey.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) return ctx.accept();
      }
      ctx.reject(["password", "publickey"]);
    });
    client.on("ready", () => {
      client.on("session", (accept) => {
        accept().on("sftp", (acceptSftp) => serve(acceptSftp(), inside, state));
      });
    });
    client.on("error", () => undefined);
  });
  await new Promise<void>((ok) => server.listen(opts.port ?? 0, "127.0.0.1", ok));
  state.port = (server.address() as { port: number }).port;
  state.close = () => new Promise<void>((ok) => server.close(() => ok()));
  return state;
}

function serve(sftp: SFTPWrapper, inside: (path: string) => string, state: SftpStandIn): void {
  const handles = new Map<number, number>();
  let next = 1;
  const handleOf = (buffer: Buffer) => (buffer.length === 4 ? handles.get(buffer.readUInt32BE(0)) : undefined);
  const attrs = (s: { mode: number; uid: number; gid: number; size: number; atimeMs: number; mtimeMs: number }) =>
    ({ mode: s.mode, uid: s.uid, gid: s.gid, size: s.size, atime: Math.floor(s.atimeMs / 1000), mtime: Math.floor(s.mtimeMs / 1000) });
  const guard = (reqid: number, run: () => void) => {
    try {
      run();
    } catch {
      sftp.status(reqid, STATUS_CODE.FAILURE);
    }
  };

  sftp.on("REALPATH", (reqid, path) => guard(reqid, () => {
    const normal = posix.normalize("/" + path);
    sftp.name(reqid, [{ filename: normal, longname: normal, attrs: {} as never }]);
  }));
  const stat = (reqid: number, path: string) => guard(reqid, () => {
    const full = inside(path);
    if (!existsSync(full)) return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
    sftp.attrs(reqid, attrs(statSync(full)) as never);
  });
  sftp.on("STAT", stat);
  sftp.on("LSTAT", stat);
  sftp.on("MKDIR", (reqid, path) => guard(reqid, () => {
    mkdirSync(inside(path), { recursive: true });
    sftp.status(reqid, STATUS_CODE.OK);
  }));
  sftp.on("OPEN", (reqid, filename, flags) => guard(reqid, () => {
    if (!(flags & OPEN_MODE.WRITE)) return sftp.status(reqid, STATUS_CODE.OP_UNSUPPORTED);
    if (state.failWrites) return sftp.status(reqid, STATUS_CODE.FAILURE, "no space left on the device");
    const fd = openSync(inside(filename), flags & OPEN_MODE.APPEND ? "a" : "w");
    const id = next++;
    handles.set(id, fd);
    const handle = Buffer.alloc(4);
    handle.writeUInt32BE(id, 0);
    sftp.handle(reqid, handle);
  }));
  sftp.on("WRITE", (reqid, handle, offset, data) => guard(reqid, () => {
    const fd = handleOf(handle);
    if (fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    writeSync(fd, data, 0, data.length, offset);
    sftp.status(reqid, STATUS_CODE.OK);
  }));
  sftp.on("FSTAT", (reqid, handle) => guard(reqid, () => {
    const fd = handleOf(handle);
    if (fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    sftp.attrs(reqid, attrs(fstatSync(fd)) as never);
  }));
  sftp.on("CLOSE", (reqid, handle) => guard(reqid, () => {
    const fd = handleOf(handle);
    if (fd === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    closeSync(fd);
    handles.delete(handle.readUInt32BE(0));
    sftp.status(reqid, STATUS_CODE.OK);
  }));
  sftp.on("RENAME", (reqid, from, to) => guard(reqid, () => {
    if (existsSync(inside(to))) return sftp.status(reqid, STATUS_CODE.FAILURE, "target exists");
    renameSync(inside(from), inside(to));
    sftp.status(reqid, STATUS_CODE.OK);
  }));
}
