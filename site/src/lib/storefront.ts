/**
 * @module storefront: how storefront pages turn the read model into text — localized names, prices, stock labels,
 * absolute URLs and structured data.
 */
import { formatFen } from "../../../worker/lib/money";
import type { Localized, ProductPageView, StockState } from "../../../worker/modules/storefront/views";
import { type Lang, translator } from "../i18n";

/** Supplier content may lack English; the Chinese text stands in, marked with its own `lang` for screen readers. */
export function localized(lang: Lang, text: Localized): { text: string; lang: Lang | undefined } {
  if (lang === "en" && text.en) return { text: text.en, lang: undefined };
  return { text: text.zh, lang: lang === "en" ? "zh-CN" : undefined };
}

/** `¥59.90`, or `¥59.90 起` when the variants differ in price. */
export function priceText(lang: Lang, minFen: number, maxFen: number): string {
  return minFen === maxFen ? formatFen(minFen) : translator(lang)("shop.price.from", { price: formatFen(minFen) });
}

export function stockText(lang: Lang, stock: StockState): string {
  const tr = translator(lang);
  if (stock.state === "sold_out") return tr("shop.stock.soldOut");
  if (stock.state === "low") return tr("shop.stock.low", { count: stock.left });
  return tr("shop.stock.inStock");
}

/** `颜色：红 / 尺码：M`, or the default name for a product without options. */
export function variantLabel(lang: Lang, options: Record<string, string>): string {
  const parts = Object.entries(options).map(([name, value]) => `${name}：${value}`);
  return parts.length ? parts.join(" / ") : translator(lang)("shop.product.defaultVariant");
}

/** An absolute URL on this shop's origin, for canonical links, Open Graph and the sitemap. */
export function absoluteUrl(origin: string, path: string): string {
  return new URL(path, origin).href;
}

/** First `max` characters of a text on one line, for meta descriptions. */
export function summary(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Fen as the decimal string schema.org expects (`"59.90"`), with integer arithmetic like `formatFen`. */
export function decimalPrice(fen: number): string {
  return formatFen(fen).replace("¥", "");
}

/** schema.org `Product` with one `Offer`, or an `AggregateOffer` when variant prices differ. */
export function productJsonLd(origin: string, lang: Lang, product: ProductPageView, shopName: string) {
  const url = absoluteUrl(origin, `/products/${product.productId}`);
  const availability = `https://schema.org/${product.soldOut ? "OutOfStock" : "InStock"}`;
  const seller = { "@type": "Organization", name: shopName };
  const offers =
    product.minPriceFen === product.maxPriceFen
      ? { "@type": "Offer", price: decimalPrice(product.minPriceFen), priceCurrency: "CNY", availability, url, seller }
      : {
          "@type": "AggregateOffer",
          lowPrice: decimalPrice(product.minPriceFen),
          highPrice: decimalPrice(product.maxPriceFen),
          offerCount: product.variants.length,
          priceCurrency: "CNY",
          availability,
          url,
          seller,
        };
  return {
    "@context": "https://schema.org",
    "@type": "Product",
    name: localized(lang, product.title).text,
    description: summary(localized(lang, product.description).text, 300),
    image: product.images.map((image) => absoluteUrl(origin, image.url)),
    sku: product.variants.length === 1 ? product.variants[0]?.skuId : undefined,
    offers,
  };
}

/** JSON for a `<script>` element: `<` is escaped so no text inside can close the element. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replaceAll("<", "\\u003c");
}
