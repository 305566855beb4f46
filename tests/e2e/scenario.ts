import type { Browser, Frame, Page } from "playwright-core";

// One end-to-end scenario against a running `npm run demo`. `tests/e2e/run.ts` starts the demo once and runs every
// file in tests/e2e/scenarios/ in name order (E2E_ONLY=<substring> runs the matching ones only).

export interface E2eContext {
  browser: Browser;
  /** The stand-in Shopify admin, already open on the app (desktop viewport, a desktop Chrome user agent). */
  page: Page;
  /** The embedded app's iframe inside `page`. */
  appFrame: () => Promise<Frame>;
  /** http://127.0.0.1:<port> of the app server. */
  appUrl: string;
  /** http://127.0.0.1:<port> of the stand-in Shopify (admin, Admin API, storefront app proxy). */
  sandboxUrl: string;
  shop: string;
  /** Where screenshots go: tests/e2e/artifacts. */
  artifacts: string;
  /** Everything the demo printed so far (it prints the mail sink's URL, the API key, …). */
  demoOutput: () => string;
  /** Throws with `what` when `ok` is false; prints a tick otherwise. */
  check: (ok: boolean, what: string) => void;
  /** A desktop Chrome user agent (Shopify's library answers 410 to "HeadlessChrome"). */
  userAgent: string;
}

export interface Scenario {
  name: string;
  run: (ctx: E2eContext) => Promise<void>;
}

export const deadline = (ms: number) => Date.now() + ms;

/** Polls `probe` until it returns a truthy value or `ms` pass; throws `what` on timeout. */
export async function eventually<T>(what: string, ms: number, probe: () => Promise<T | undefined | null | false>): Promise<T> {
  const until = deadline(ms);
  let last: unknown;
  while (Date.now() < until) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${ms} ms: ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
}
