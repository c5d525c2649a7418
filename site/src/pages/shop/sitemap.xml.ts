/**
 * `/sitemap.xml` on a shop host: the home page, every category with products here and every product on sale.
 */
import { env } from "cloudflare:workers";
import type { APIRoute } from "astro";
import { shopSitemap } from "../../../../worker/modules/storefront/service";
import { currentShop } from "../../lib/shop";
import { absoluteUrl } from "../../lib/storefront";

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function entry(loc: string, lastModMs?: number): string {
  const lastmod = lastModMs ? `<lastmod>${new Date(lastModMs).toISOString()}</lastmod>` : "";
  return `<url><loc>${escapeXml(loc)}</loc>${lastmod}</url>`;
}

export const GET: APIRoute = async ({ locals, url }) => {
  const shop = currentShop(locals);
  const { categoryIds, products } = await shopSitemap(env.DB, shop.id);
  const urls = [
    entry(absoluteUrl(url.origin, "/")),
    ...categoryIds.map((id) => entry(absoluteUrl(url.origin, `/categories/${encodeURIComponent(id)}`))),
    ...products.map((p) =>
      entry(absoluteUrl(url.origin, `/products/${encodeURIComponent(p.productId)}`), p.updatedAtMs),
    ),
  ];
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join("\n")}\n</urlset>\n`;
  return new Response(body, {
    headers: { "content-type": "application/xml; charset=utf-8", "cache-control": "public, max-age=300" },
  });
};
