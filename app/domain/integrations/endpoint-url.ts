// What a webhook endpoint's URL may be (ADR 0031): https, or http to a loopback host when the app allows it
// (development and tests). No credentials in the URL (they would show on the page); at most 2,048 characters. Where
// loopback is not allowed (production), no loopback, private or link-local address literal either: the app's own
// network is not a merchant's receiver (a host name that resolves there is not caught: DNS is not checked here).

export type UrlCheck = { ok: true; url: string } | { ok: false; reason: string };

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function checkEndpointUrl(raw: string, opts: { allowHttpLoopback: boolean }): UrlCheck {
  const text = raw.trim();
  if (text.length === 0 || text.length > 2048) return { ok: false, reason: "url must be 1 to 2048 characters" };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: "url is not a URL" };
  }
  if (url.username || url.password) return { ok: false, reason: "url must not carry a user name or password" };
  if (url.hash) return { ok: false, reason: "url must not have a #fragment" };
  if (url.protocol === "https:") {
    if (!opts.allowHttpLoopback && isInternalHost(url.hostname)) return { ok: false, reason: "url must not point at a loopback, private or link-local address" };
    return { ok: true, url: url.toString() };
  }
  if (url.protocol === "http:" && LOOPBACK.has(url.hostname)) {
    return opts.allowHttpLoopback ? { ok: true, url: url.toString() } : { ok: false, reason: "http is allowed only for a loopback address in development and tests: use https" };
  }
  return { ok: false, reason: "url must be https" };
}

function isInternalHost(host: string): boolean {
  const h = host.toLowerCase();
  if (LOOPBACK.has(h) || h.endsWith(".localhost") || h === "0.0.0.0") return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  if (h.startsWith("[")) return /^\[(::1?|f[cd][0-9a-f]{2}:.*|fe[89ab][0-9a-f]:.*|::ffff:.*)\]$/.test(h);
  return false;
}
