// Small node:http helpers shared by the sandbox routes.
import type { IncomingMessage, ServerResponse } from "node:http";
import { toExactJson } from "./exact-json";

export async function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error("request body too large");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a JSON or x-www-form-urlencoded body into a flat record (null when unparsable). */
export function parseFormOrJson(req: IncomingMessage, body: string): Record<string, unknown> | null {
  const type = String(req.headers["content-type"] ?? "");
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(body));
  try {
    const parsed: unknown = JSON.parse(body || "{}");
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Sends JSON; BigInt values are written as exact numbers. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = toExactJson(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(res: ServerResponse, status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body), ...headers });
  res.end(body);
}

/** The shop a request is for: the myshopify Host header (as routed by route-shop-traffic), else X-Shopify-Shop-Domain. */
export function shopFromRequest(req: IncomingMessage): string | null {
  const host = String(req.headers.host ?? "").replace(/:\d+$/, "").toLowerCase();
  if (host.endsWith(".myshopify.com")) return host;
  const header = req.headers["x-shopify-shop-domain"];
  return typeof header === "string" && header ? header.toLowerCase() : null;
}
