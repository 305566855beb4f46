import "@shopify/shopify-app-remix/adapters/node";
import { AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { env } from "./.server/env";
import { ADMIN_API_VERSION } from "./.server/shopify/api-version";
import { SqlSessionStorage } from "./.server/shopify/sql-session-storage";
import { onShopAuthenticated } from "./.server/use-cases/install-shop";

// The single auth entry of the app: embedded admin, token exchange, expiring offline tokens.
const config = env();

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion: ADMIN_API_VERSION,
  scopes: config.SCOPES.split(","),
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new SqlSessionStorage(),
  distribution: AppDistribution.AppStore,
  isEmbeddedApp: true,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    afterAuth: async ({ session }) => {
      await onShopAuthenticated(session.shop);
    },
  },
  ...(config.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [config.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = ADMIN_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
/** The login page's handler (/auth/login): a shop domain in, a redirect to that shop's install/auth out. */
export const login = shopify.login!;
export const unauthenticated = shopify.unauthenticated;
export const sessionStorage = shopify.sessionStorage;
