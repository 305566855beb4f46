export const LOCATIONS_QUERY = `#graphql
  query Locations($first: Int!, $after: String) {
    locations(first: $first, after: $after) {
      nodes {
        id
        name
        isActive
        address {
          address1
          city
          provinceCode
          countryCode
          zip
          latitude
          longitude
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export interface LocationNode {
  id: string;
  name: string;
  isActive: boolean;
  address: { address1: string | null; city: string | null; provinceCode: string | null; countryCode: string | null; zip: string | null; latitude: number | null; longitude: number | null };
}

export interface LocationsResult {
  locations: { nodes: LocationNode[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}
