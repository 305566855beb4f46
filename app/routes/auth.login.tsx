import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, Button, Card, FormLayout, Page, Text, TextField } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import polarisTranslations from "@shopify/polaris/locales/en.json";
import { useState } from "react";
import { readForm } from "~/.server/api/http";
import { loginErrorMessage } from "~/.server/auth/login-errors";
import { login } from "~/shopify.server";

// /auth/login: where Shopify's library sends a request that names no shop (the app opened outside the admin).
// The merchant enters the shop's domain; `login` sends them to that shop's admin to install or open the app.

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export async function loader({ request }: LoaderFunctionArgs) {
  return { errors: loginErrorMessage(await login(request)), polarisTranslations };
}

export async function action({ request }: ActionFunctionArgs) {
  await readForm(request.clone()); // 415/400 for a body that is not a form; `login` reads the form itself
  return { errors: loginErrorMessage(await login(request)) };
}

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [shop, setShop] = useState("");
  const errors = actionData?.errors ?? loaderData.errors;
  return (
    <PolarisAppProvider i18n={loaderData.polarisTranslations}>
      <Page narrowWidth>
        <Card>
          <Form method="post">
            <FormLayout>
              <Text variant="headingMd" as="h1">
                Log in to Open OMS
              </Text>
              <TextField type="text" name="shop" label="Shop domain" helpText="your-shop.myshopify.com" value={shop} onChange={setShop} autoComplete="on" error={errors.shop} />
              <Button submit>Log in</Button>
            </FormLayout>
          </Form>
        </Card>
      </Page>
    </PolarisAppProvider>
  );
}
