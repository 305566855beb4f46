export const SHOP_INFO_QUERY = `#graphql
  query ShopInfo {
    shop {
      id
      name
      email
      currencyCode
      ianaTimezone
      myshopifyDomain
    }
  }
`;

export interface ShopInfoResult {
  shop: { id: string; name: string; email: string | null; currencyCode: string; ianaTimezone: string; myshopifyDomain: string };
}
