import type { LoaderFunctionArgs } from "@remix-run/node";

// Calling loaders and actions as the embedded app does: a merchant's browser, a session token.

/** A desktop Chrome: Shopify's library answers 410 to user agents it takes for bots. */
export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

/** Loader/action arguments for a request carrying `Authorization: Bearer <token>`. */
export function bearerArgs(path: string, token: string, params: Record<string, string> = {}): LoaderFunctionArgs {
  const request = new Request(`http://127.0.0.1:3999${path}`, { headers: { Authorization: `Bearer ${token}`, "User-Agent": BROWSER_UA } });
  return { request, params, context: {} };
}

/** The HTTP status a loader answers with, whether it returns or throws a Response (data counts as 200). */
export async function statusOf(run: () => Promise<unknown>): Promise<number> {
  try {
    const result = await run();
    return result instanceof Response ? result.status : 200;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    throw thrown;
  }
}
