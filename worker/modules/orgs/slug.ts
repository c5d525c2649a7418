/**
 * @module orgs/slug: the rules for a shop's address `<slug>.<root>`.
 */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,30}[a-z0-9]$/;

/** Names that must stay free for the platform itself or would mislead shoppers. */
export const RESERVED_SLUGS = new Set([
  "www",
  "api",
  "admin",
  "console",
  "app",
  "platform",
  "merchant",
  "merchants",
  "supplier",
  "suppliers",
  "shop",
  "shops",
  "store",
  "static",
  "assets",
  "cdn",
  "img",
  "images",
  "media",
  "mail",
  "email",
  "smtp",
  "help",
  "support",
  "docs",
  "status",
  "blog",
  "dev",
  "staging",
  "test",
  "login",
  "signin",
  "signup",
  "account",
  "accounts",
  "pay",
  "payment",
  "payments",
  "checkout",
  "billing",
  "official",
  "root",
  "system",
]);

export type SlugVerdict = { ok: true } | { ok: false; reason: "format" | "reserved" };

export function checkSlugRules(slug: string): SlugVerdict {
  if (!SLUG_PATTERN.test(slug) || slug.includes("--")) return { ok: false, reason: "format" };
  if (RESERVED_SLUGS.has(slug)) return { ok: false, reason: "reserved" };
  return { ok: true };
}
