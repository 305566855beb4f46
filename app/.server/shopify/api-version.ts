import { ApiVersion } from "@shopify/shopify-app-remix/server";

// The one Admin API version the app speaks. Keep in step with shopify.app.toml ([webhooks] api_version).
export const ADMIN_API_VERSION = ApiVersion.January26;
export const ADMIN_API_VERSION_STRING = "2026-01";
