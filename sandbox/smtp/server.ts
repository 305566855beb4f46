import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

// A local mail sink for the demo and tests (ADR 0024): an SMTP server on loopback that accepts every message and
// keeps it (in memory, and in DIR/messages.json when given a folder, so a restarted demo still lists them), and an
// HTTP page listing what arrived (GET /), the same as JSON (GET /messages.json) and each message's HTML part
// (GET /messages/<n>.html, sandboxed). stopSmtp()/startSmtp() take the SMTP side down and up on the same port, as a
// mail server that goes away and comes back.

export interface SinkMessage {
  n: number;
  receivedAt: string;
  envelopeFrom: string | null;
  envelopeTo: string[];
  from: string;
  to: string;
  subject: string;
  messageId: string | null;
  text: string;
  html: string | null;
  /** The List-* headers as received (List-Unsubscribe, List-Unsubscribe-Post: ADR 0038), lower-cased names. */
  listHeaders?: Record<string, string>;
}

export interface SmtpSink {
  smtpPort: number;
  /** smtp://127.0.0.1:<port>: what SMTP_URL is set to. */
  smtpUrl: string;
  /** The page listing received messages. */
  url: string;
  messages(): SinkMessage[];
  stopSmtp(): Promise<void>;
  startSmtp(): Promise<void>;
  close(): Promise<void>;
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export async function startSmtpSink(opts: { smtpPort?: number; httpPort?: number; dataDir?: string } = {}): Promise<SmtpSink> {
  const file = opts.dataDir ? path.join(opts.dataDir, "messages.json") : null;
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  const kept: SinkMessage[] = file && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as SinkMessage[]) : [];
  const save = () => {
    if (!file) return;
    writeFileSync(`${file}.tmp`, JSON.stringify(kept, null, 1));
    renameSync(`${file}.tmp`, file);
  };

  let smtp: SMTPServer | null = null;
  let smtpPort = opts.smtpPort ?? 0;
  const startSmtp = async () => {
    if (smtp) return;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      banner: "open-oms mail sink",
      size: 10 * 1024 * 1024,
      closeTimeout: 1_000,
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((mail) => {
            const addressText = (a: typeof mail.from | typeof mail.to) => (Array.isArray(a) ? a.map((x) => x.text).join(", ") : (a?.text ?? ""));
            kept.push({
              n: kept.length + 1,
              receivedAt: new Date().toISOString(),
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              from: addressText(mail.from),
              to: addressText(mail.to),
              subject: mail.subject ?? "",
              messageId: mail.messageId ?? null,
              text: mail.text ?? "",
              html: typeof mail.html === "string" ? mail.html : null,
              listHeaders: Object.fromEntries(mail.headerLines.filter((h) => h.key.startsWith("list-")).map((h) => [h.key, h.line.slice(h.line.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " ").trim()])),
            });
            save();
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(smtpPort, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    smtpPort = (server.server.address() as AddressInfo).port;
    smtp = server;
  };
  const stopSmtp = async () => {
    const server = smtp;
    smtp = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  await startSmtp();

  const http: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method !== "GET") {
      res.writeHead(405, { Allow: "GET" }).end();
      return;
    }
    if (url.pathname === "/messages.json") {
      res.writeHead(200, { "Content-Type": "application/json; charset=utf-8" }).end(JSON.stringify(kept));
      return;
    }
    const one = /^\/messages\/(\d+)\.html$/.exec(url.pathname);
    if (one) {
      const message = kept[Number(one[1]) - 1];
      if (!message) {
        res.writeHead(404).end("no such message");
        return;
      }
      // The message's own HTML, with nothing allowed to run.
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'" }).end(message.html ?? `<pre>${escape(message.text)}</pre>`);
      return;
    }
    if (url.pathname !== "/") {
      res.writeHead(404).end("not found");
      return;
    }
    const rows = [...kept].reverse().map((m) => `<tr><td>${m.n}</td><td>${escape(m.receivedAt.replace("T", " ").slice(0, 19))}</td><td>${escape(m.to)}</td><td><a href="/messages/${m.n}.html">${escape(m.subject)}</a></td><td><pre>${escape(m.text)}</pre></td></tr>`);
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(`<!doctype html>
<html><head><meta charset="utf-8"><title>Mail sink (${kept.length})</title>
<style>body{font-family:sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}pre{white-space:pre-wrap;margin:0}</style></head>
<body><h1>Mail sink</h1><p>${kept.length} message(s) received on smtp://127.0.0.1:${smtpPort}. JSON: <a href="/messages.json">/messages.json</a></p>
<table><thead><tr><th>#</th><th>Received (UTC)</th><th>To</th><th>Subject</th><th>Text</th></tr></thead><tbody>${rows.join("\n")}</tbody></table></body></html>`);
  });
  await new Promise<void>((resolve) => http.listen(opts.httpPort ?? 0, "127.0.0.1", resolve));
  const httpPort = (http.address() as AddressInfo).port;

  return {
    get smtpPort() {
      return smtpPort;
    },
    get smtpUrl() {
      return `smtp://127.0.0.1:${smtpPort}`;
    },
    url: `http://127.0.0.1:${httpPort}`,
    messages: () => [...kept],
    stopSmtp,
    startSmtp,
    async close() {
      await stopSmtp();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
