import { LoginErrorType, type LoginError } from "@shopify/shopify-app-remix/server";

/** What the login page says for what Shopify's `login` found wrong with the shop domain entered. */
export function loginErrorMessage(error: LoginError | undefined): { shop?: string } {
  if (error?.shop === LoginErrorType.MissingShop) return { shop: "Enter your shop's domain to log in." };
  if (error?.shop === LoginErrorType.InvalidShop) return { shop: "Enter a valid shop domain (your-shop.myshopify.com)." };
  return {};
}
