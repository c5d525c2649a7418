import type { Context } from "hono";
import { AppError } from "../errors";
import type { ShopSummary } from "../modules/orgs/repository";
import type { AppEnv } from "../types";

/** The shop this storefront request is for; shopper routes exist only on `<slug>.<root>`. */
export function requireShopHost(c: Context<AppEnv>): ShopSummary {
  const host = c.get("host");
  if (host.kind === "shop" && host.shop.status === "active") return host.shop;
  throw new AppError("shop_not_found", host.kind === "unknown_shop" ? `No shop "${host.slug}"` : "Open a shop address");
}
