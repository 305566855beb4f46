// Sends every request for https://<anything>.myshopify.com/... to the sandbox, keeping the
// original Host header (so the sandbox knows the shop); all other traffic passes through.
// Installed as undici's global dispatcher, which Node's global fetch uses too, so the app's real
// Shopify client reaches the stand-in with no bypass in app code.
import { Agent, Dispatcher, getGlobalDispatcher, setGlobalDispatcher } from "undici";

type Headers = Dispatcher.DispatchOptions["headers"];

export function isShopHost(hostname: string): boolean {
  return hostname.toLowerCase().endsWith(".myshopify.com");
}

export class ShopTrafficRouter extends Dispatcher {
  private readonly sandbox = new Agent({ keepAliveTimeout: 1000 });
  private readonly target: string;

  constructor(sandboxUrl: string, private readonly passthrough: Dispatcher) {
    super();
    this.target = new URL(sandboxUrl).origin;
  }

  dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandlers): boolean {
    const origin = options.origin ? new URL(String(options.origin)) : null;
    if (!origin || !isShopHost(origin.hostname)) return this.passthrough.dispatch(options, handler);
    return this.sandbox.dispatch({ ...options, origin: this.target, headers: withHost(options.headers, origin.host) }, handler);
  }

  async close(): Promise<void> {
    await this.sandbox.close();
  }

  async destroy(): Promise<void> {
    await this.sandbox.destroy();
  }
}

/** Installs the router globally; the returned function restores the previous dispatcher. */
export function routeShopTrafficTo(sandboxUrl: string): () => void {
  const previous = getGlobalDispatcher();
  const router = new ShopTrafficRouter(sandboxUrl, previous);
  setGlobalDispatcher(router);
  return () => {
    setGlobalDispatcher(previous);
    void router.close();
  };
}

/** Adds (or replaces) the host header in any of undici's header shapes. */
function withHost(headers: Headers, host: string): Headers {
  const out: string[] = [];
  const add = (name: string, value: unknown) => {
    if (name.toLowerCase() === "host" || value === undefined) return;
    for (const v of Array.isArray(value) ? value : [value]) out.push(name, String(v));
  };
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) for (const [k, v] of headers as unknown as [string, string][]) add(k, v);
    else for (let i = 0; i < headers.length; i += 2) add(String(headers[i]), headers[i + 1]);
  } else if (headers && typeof (headers as Iterable<unknown>)[Symbol.iterator] === "function") {
    for (const [k, v] of headers as Iterable<[string, string]>) add(k, v);
  } else if (headers) {
    for (const [k, v] of Object.entries(headers)) add(k, v);
  }
  out.push("host", host);
  return out;
}
