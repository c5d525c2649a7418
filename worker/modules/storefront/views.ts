/**
 * @module storefront/views: what storefront pages receive. Only the merchant's selling prices (fen) appear here;
 * supply prices, suggested retail prices and MAPs are never selected, so a page cannot leak them by accident.
 */
import { z } from "zod";

/** A text in both languages; English is optional for supplier content, so pages fall back to Chinese. */
export interface Localized {
  zh: string;
  en: string | null;
}

/** At or below this many units (and above zero) a SKU shows "only N left". */
export const LOW_STOCK_THRESHOLD = 5;

export type StockState = { state: "in_stock" } | { state: "low"; left: number } | { state: "sold_out" };

export function stockState(stock: number): StockState {
  if (stock <= 0) return { state: "sold_out" };
  if (stock <= LOW_STOCK_THRESHOLD) return { state: "low", left: stock };
  return { state: "in_stock" };
}

export interface ImageView {
  url: string;
  /** Every stored width, for `<img srcset>`; absent for placeholders, which look the same at every width. */
  srcset?: string;
  alt: string;
}

export interface ProductCard {
  listingId: string;
  productId: string;
  title: Localized;
  image: ImageView | null;
  minPriceFen: number;
  maxPriceFen: number;
  /** Every SKU of the listing has stock 0. */
  soldOut: boolean;
}

export interface CategoryLink {
  id: string;
  name: Localized;
  /** Products of this shop in the category and all its descendants. */
  productCount: number;
}

export type HomeSectionView =
  | { type: "banner"; title: string; subtitle: string | null; image: ImageView | null; link: string | null }
  | { type: "collection"; title: string; products: ProductCard[] }
  | { type: "recommendations"; title: string; products: ProductCard[] };

export interface ShopHomeView {
  template: "general" | "baby" | "welfare";
  logo: ImageView | null;
  sections: HomeSectionView[];
  newest: ProductCard[];
  /** Top-level categories that have at least one of this shop's products. */
  categories: CategoryLink[];
}

export type CategorySort = "newest" | "price_asc" | "price_desc" | "sales";
export const CATEGORY_SORTS: readonly CategorySort[] = ["newest", "price_asc", "price_desc", "sales"];

export interface CategoryPageView {
  category: { id: string; name: Localized };
  breadcrumb: { id: string; name: Localized }[];
  /** Child categories that have products in this shop. */
  children: CategoryLink[];
  sort: CategorySort;
  products: ProductCard[];
  /** Opaque; pass back as `cursor` for the next page. */
  nextCursor: string | null;
}

export interface SearchView {
  query: string;
  total: number;
  products: ProductCard[];
  nextCursor: string | null;
}

export interface VariantView {
  skuId: string;
  /** One value per attribute, e.g. `{ "颜色": "红", "尺码": "M" }`. */
  options: Record<string, string>;
  priceFen: number;
  stock: StockState;
}

export interface ProductPageView {
  listingId: string;
  productId: string;
  title: Localized;
  description: Localized;
  images: ImageView[];
  /** Only attribute values that some variant of this listing carries. */
  attributes: { name: string; values: string[] }[];
  variants: VariantView[];
  minPriceFen: number;
  maxPriceFen: number;
  soldOut: boolean;
  breadcrumb: { id: string; name: Localized }[];
}

export interface SitemapView {
  categoryIds: string[];
  products: { productId: string; updatedAtMs: number }[];
}

const Options = z.record(z.string(), z.string());

/**
 * A SKU's options as stored (`{"颜色":"红","尺码":"M"}`), for every view that shows a variant: carts, orders,
 * parcels, dispatches. Anything unreadable shows as no options rather than failing the page.
 */
export function parseOptions(json: string | null): Record<string, string> {
  try {
    const parsed = Options.safeParse(JSON.parse(json ?? "{}"));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
