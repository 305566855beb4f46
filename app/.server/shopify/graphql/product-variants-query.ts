export const PRODUCT_VARIANTS_QUERY = `#graphql
  query ProductVariants($first: Int!, $after: String) {
    productVariants(first: $first, after: $after) {
      nodes {
        id
        sku
        title
        price
        inventoryItem {
          id
        }
        product {
          id
          title
          vendor
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export interface VariantNode {
  id: string;
  sku: string | null;
  title: string;
  price: string;
  inventoryItem: { id: string };
  product: { id: string; title: string; vendor: string | null };
}

export interface ProductVariantsResult {
  productVariants: { nodes: VariantNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}
