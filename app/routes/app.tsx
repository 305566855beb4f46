import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { env } from "~/.server/env";
import { authenticateAdmin } from "~/.server/auth/admin-shop";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  await authenticateAdmin(request);
  const config = env();
  return { apiKey: config.SHOPIFY_API_KEY, appBridgeUrl: config.APP_BRIDGE_URL ?? null };
}

// Later issues' pages say "coming" here, in navigation only.
export const NAV = [
  { to: "/app", label: "Dashboard", home: true },
  { to: "/app/orders", label: "Orders" },
  { to: "/app/inventory", label: "Inventory" },
  { to: "/app/routing", label: "Routing" },
  { to: "/app/channels", label: "Channels" },
  { to: "/app/imports", label: "Imports" },
  { to: "/app/notifications", label: "Notifications" },
  { to: "/app/integrations", label: "Integrations" },
  { to: "/app/warehouse", label: "Warehouse" },
  { to: "/app/route-planner", label: "Route planner" },
  { to: "/app/returns", label: "Returns" },
  { to: "/app/settings", label: "Settings" },
];

export default function AppLayout() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        {NAV.map((item) => (
          <Link key={item.to} to={item.to} rel={item.home ? "home" : undefined}>
            {item.label}
          </Link>
        ))}
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so their headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
