/**
 * @module host: which tenant a request is for, from its Host header.
 * `<slug>.<ROOT_DOMAIN>` is a merchant's storefront; the bare root (or an IP) serves the landing page and consoles.
 */
import { createMiddleware } from "hono/factory";
import { findShopBySlug, type ShopSummary } from "../modules/orgs/repository";
import type { AppEnv } from "../types";

export type Host = { kind: "root" } | { kind: "shop"; shop: ShopSummary } | { kind: "unknown_shop"; slug: string };

export type HostTarget = { kind: "root" } | { kind: "shop"; slug: string };

/** Request host without the port, lowercased; `Host` wins over the URL so tests and proxies agree. */
export function requestHostname(request: Request): string {
  const header = request.headers.get("host");
  const raw = header ?? new URL(request.url).host;
  return raw
    .replace(/:\d+$/, "")
    .replace(/^\[|\]$/g, "")
    .toLowerCase();
}

export function classifyHost(hostname: string, rootDomain: string): HostTarget {
  const root = rootDomain.toLowerCase();
  if (hostname === root) return { kind: "root" };
  const suffix = `.${root}`;
  if (hostname.endsWith(suffix)) {
    const label = hostname.slice(0, -suffix.length);
    if (label && !label.includes(".")) return { kind: "shop", slug: label };
  }
  return { kind: "root" };
}

export async function resolveHost(db: D1Database, request: Request, rootDomain: string): Promise<Host> {
  const target = classifyHost(requestHostname(request), rootDomain);
  if (target.kind === "root") return target;
  const shop = await findShopBySlug(db, target.slug);
  return shop ? { kind: "shop", shop } : { kind: "unknown_shop", slug: target.slug };
}

export const hostMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  c.set("host", await resolveHost(c.env.DB, c.req.raw, c.env.ROOT_DOMAIN));
  await next();
});

export function isLocalHostname(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost") || hostname === "127.0.0.1" || hostname === "::1";
}
