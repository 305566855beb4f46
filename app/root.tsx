import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";

export default function App() {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

/**
 * What a request that ends in an error sees when no route below answers it: the status and, for an answer the
 * app chose (a thrown Response: 401, 404, 415…), its message. Unexpected errors were logged on the server.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const data = isRouteErrorResponse(error) ? (error.data as { error?: { message?: string } } | string | null) : null;
  const message = typeof data === "string" ? data : (data?.error?.message ?? (isRouteErrorResponse(error) ? error.statusText : "Something went wrong on our side."));
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{`${status} · Open OMS`}</title>
        <Meta />
        <Links />
      </head>
      <body>
        <h1>{status}</h1>
        <p>{message}</p>
        <Scripts />
      </body>
    </html>
  );
}
