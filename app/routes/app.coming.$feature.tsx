import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "@shopify/polaris";
import { authenticateAdmin } from "~/.server/auth/admin-shop";

// Navigation marks these "(coming)"; this page says plainly that the feature is not built yet. Returns is built
// (app.returns._index.tsx, ADR 0035): its old address goes there.
const FEATURES: Record<string, string> = {};
const BUILT: Record<string, string> = { returns: "/app/returns" };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { redirect } = await authenticateAdmin(request);
  const built = BUILT[params.feature ?? ""];
  if (built) throw redirect(built);
  const title = FEATURES[params.feature ?? ""];
  if (!title) throw new Response("Not found", { status: 404 });
  return { title };
}

export default function Coming() {
  const { title } = useLoaderData<typeof loader>();
  return (
    <Page title={title}>
      <EmptyState heading={`${title} is not available yet`} image="">
        <p>This part of the app has not been built. Nothing on this page does anything.</p>
      </EmptyState>
    </Page>
  );
}
