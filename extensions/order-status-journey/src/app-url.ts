// Where the app answers the extension. Shopify CLI's bundler replaces `process.env.APP_URL` with the app's URL
// when it knows it (`shopify app dev` sets it to the tunnel); otherwise — `shopify app build`, or a deploy without
// it — the bundle keeps the expression, `process` does not exist in the extension's worker, and the app's
// `application_url` from shopify.app.toml is used (tests/integration/customer-account-extension.test.ts keeps the
// two equal: change both when the app moves).

declare const process: { env: Record<string, string | undefined> };

export const APP_URL_FALLBACK = "http://127.0.0.1:3000";

export function appUrl(): string {
  let configured: string | undefined;
  try {
    configured = process.env.APP_URL;
  } catch {
    configured = undefined;
  }
  return (configured || APP_URL_FALLBACK).replace(/\/+$/, "");
}
