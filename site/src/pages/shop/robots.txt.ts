/**
 * `/robots.txt` on a shop host: everything public may be crawled except the shopper's account and search result
 * pages (endless query variations), and the sitemap is on the same host.
 */
import type { APIRoute } from "astro";
import { absoluteUrl } from "../../lib/storefront";

export const GET: APIRoute = ({ url }) => {
  const body = [
    "User-agent: *",
    "Disallow: /account",
    "Disallow: /search",
    "Allow: /",
    "",
    `Sitemap: ${absoluteUrl(url.origin, "/sitemap.xml")}`,
    "",
  ].join("\n");
  return new Response(body, {
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "public, max-age=3600" },
  });
};
