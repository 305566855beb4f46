import path from "node:path";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { flatRoutes } from "@remix-run/dev/dist/config/flat-routes.js";
import * as entry from "~/entry.server";
import * as root from "~/root";

// The app's Remix request handler in a test: every route file of app/routes under Remix's flat-routes
// convention (as the Vite plugin builds them), so a request meets the route table, the method checks and
// the error handling a real request meets — not just the one loader or action a test names.

type RouteModule = Record<string, unknown>;
const routeModules = import.meta.glob<RouteModule>(["/app/routes/*.ts", "/app/routes/*.tsx", "!/app/routes/*.test.ts", "!/app/routes/*.test.tsx"]);

export async function remixRequestHandler(): Promise<(request: Request) => Promise<Response>> {
  const manifest = flatRoutes(path.resolve("app"), ["**/.*", "**/*.test.ts", "**/*.test.tsx"]);
  const routes: ServerBuild["routes"] = { root: { id: "root", path: "", module: root as never } };
  const assets: ServerBuild["assets"] = { entry: { imports: [], module: "/build/entry.client.js" }, routes: {}, url: "/build/manifest.js", version: "test" };
  const describe = (id: string, parentId: string | undefined, module: RouteModule, r: { path?: string; index?: boolean; caseSensitive?: boolean }) => ({
    id, parentId, path: r.path, index: r.index, caseSensitive: r.caseSensitive, module: `/build/${id}.js`, imports: [],
    hasAction: typeof module.action === "function", hasLoader: typeof module.loader === "function",
    hasClientAction: false, hasClientLoader: false, hasErrorBoundary: typeof module.ErrorBoundary === "function",
  });
  assets.routes.root = describe("root", undefined, root, { path: "" });
  for (const route of Object.values(manifest)) {
    const load = routeModules[`/app/${route.file}`];
    if (!load) throw new Error(`No module for ${route.file}`);
    const module = await load();
    routes[route.id] = { id: route.id, parentId: route.parentId ?? "root", path: route.path, index: route.index, caseSensitive: route.caseSensitive, module: module as never };
    assets.routes[route.id] = describe(route.id, route.parentId ?? "root", module, route);
  }
  const build: ServerBuild = {
    mode: "production",
    entry: { module: entry as never },
    routes,
    assets,
    publicPath: "/build/",
    assetsBuildDirectory: "build/client",
    future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_singleFetch: true, v3_lazyRouteDiscovery: true, v3_routeConfig: false, unstable_optimizeDeps: false } as ServerBuild["future"],
    isSpaMode: false,
  };
  const handle = createRequestHandler(build, "production");
  return (request) => handle(request);
}
