import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { db } from "../db/client";
import { CachedSessionStorage } from "./cached-session-storage";

/** The app's session storage: the Session table through Prisma, with loads cached in memory. */
export const sessionStorage = new CachedSessionStorage(new PrismaSessionStorage(db()));
