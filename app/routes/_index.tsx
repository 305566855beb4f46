import { redirect, type LoaderFunctionArgs } from "@remix-run/node";

// Shopify opens the app URL with ?shop=…&host=…; the app lives under /app.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return new Response("Open Order Management: install this app from the Shopify admin.", { headers: { "Content-Type": "text/plain" } });
}
