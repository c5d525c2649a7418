/**
 * @module storefront/service: one shop's read model for its pages. The merchant id is always an explicit
 * parameter; nothing here knows about hosts or sessions. Prices are the merchant's listing prices in fen.
 */
import { z } from "zod";
import { ftsMatch } from "../catalog/search-index";
import { imageSrcset, imageUrl } from "../media/urls";
import {
  type CardRow,
  type CategoryCountRow,
  type CategoryRow,
  type CrumbRow,
  cardsInSubtree,
  categoriesOnPath,
  categoriesWithProducts,
  collectionCards,
  countSearch,
  findCategory,
  newestCards,
  productRows,
  rowsOf,
  type ShopSettingsRow,
  type SortName,
  searchCards,
  shopSettings,
  sitemapRows,
  sortKeyOf,
} from "./repository";
import {
  CATEGORY_SORTS,
  type CategoryLink,
  type CategoryPageView,
  type CategorySort,
  type HomeSectionView,
  type ProductCard,
  type ProductPageView,
  parseOptions,
  type SearchView,
  type ShopHomeView,
  type SitemapView,
  stockState,
  type VariantView,
} from "./views";

export const NEWEST_COUNT = 12;
export const CATEGORY_PAGE_SIZE = 24;
export const SEARCH_PAGE_SIZE = 20;
/** Deep search pages are cheap to ask for and useless to read; FTS ranking makes offsets the honest cursor. */
const MAX_SEARCH_OFFSET = 1000;
export const MAX_QUERY_LENGTH = 64;
/** Cards and the gallery ask for the fixed renditions (media/renditions.ts); banners are wider than either. */
const CARD_IMAGE_WIDTH = 320;
const GALLERY_IMAGE_WIDTH = 800;
const PAGE_IMAGE_WIDTH = 960;

const BannerSection = z.object({
  type: z.literal("banner"),
  title: z.string(),
  subtitle: z.string().optional(),
  imageKey: z.string().optional(),
  link: z.string().optional(),
});
const CollectionSection = z.object({
  type: z.literal("collection"),
  title: z.string(),
  listingIds: z.array(z.string()),
});
const RecommendationsSection = z.object({ type: z.literal("recommendations"), title: z.string() });
const HomeSection = z.discriminatedUnion("type", [BannerSection, CollectionSection, RecommendationsSection]);
type HomeSection = z.infer<typeof HomeSection>;

/** Each section is checked on its own: one malformed section is dropped instead of breaking the home page. */
export function parseHomeSections(json: string): HomeSection[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((item) => {
    const parsed = HomeSection.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}

/** Banner links stay on this shop (a path) or go to https; anything else (`javascript:`, `//host`) is dropped. */
function safeLink(link: string | undefined): string | null {
  if (!link) return null;
  if (/^\/(?!\/)/.test(link)) return link;
  return /^https:\/\/[^\s]+$/.test(link) ? link : null;
}

function toCard(row: CardRow): ProductCard {
  return {
    listingId: row.listingId,
    productId: row.productId,
    title: { zh: row.titleZh, en: row.titleEn },
    image: row.imageKey
      ? { url: imageUrl(row.imageKey, CARD_IMAGE_WIDTH), srcset: imageSrcset(row.imageKey), alt: row.imageAlt ?? "" }
      : null,
    minPriceFen: row.minPriceFen,
    maxPriceFen: row.maxPriceFen,
    soldOut: row.anyInStock === 0,
  };
}

function toCategoryLink(row: CategoryCountRow): CategoryLink {
  return { id: row.id, name: { zh: row.nameZh, en: row.nameEn }, productCount: row.productCount };
}

function toCrumb(row: CrumbRow | CategoryRow) {
  return { id: row.id, name: { zh: row.nameZh, en: row.nameEn } };
}

function resolveSection(
  section: HomeSection,
  collected: Map<string, ProductCard>,
  newest: ProductCard[],
): HomeSectionView {
  if (section.type === "banner") {
    return {
      type: "banner",
      title: section.title,
      subtitle: section.subtitle ?? null,
      image: section.imageKey ? { url: imageUrl(section.imageKey, PAGE_IMAGE_WIDTH), alt: section.title } : null,
      link: safeLink(section.link),
    };
  }
  if (section.type === "collection") {
    // The merchant's order; ids that are not (or no longer) on sale here simply drop out.
    return {
      type: "collection",
      title: section.title,
      products: section.listingIds.flatMap((id) => collected.get(id) ?? []),
    };
  }
  // Placeholder until personalised recommendations (a later AI issue) exist: the newest products stand in.
  return { type: "recommendations", title: section.title, products: newest.slice(0, 8) };
}

/**
 * The home page: settings, sections with their products, the newest products and the top-level category nav,
 * in one D1 round trip.
 * @example const home = await shopHome(env.DB, shop.id)
 */
export async function shopHome(d1: D1Database, merchantId: string): Promise<ShopHomeView> {
  const [settingsResult, newestResult, collectedResult, categoriesResult] = await d1.batch([
    shopSettings(d1, merchantId),
    newestCards(d1, merchantId, NEWEST_COUNT),
    collectionCards(d1, merchantId),
    categoriesWithProducts(d1, merchantId),
  ]);
  const settings = rowsOf<ShopSettingsRow>(settingsResult)[0];
  const newest = rowsOf<CardRow>(newestResult).map(toCard);
  const collected = new Map(rowsOf<CardRow>(collectedResult).map((row) => [row.listingId, toCard(row)]));
  const sections = parseHomeSections(settings?.homeSections ?? "[]").map((section) =>
    resolveSection(section, collected, newest),
  );
  return {
    template: settings?.template ?? "general",
    logo: settings?.logoKey ? { url: imageUrl(settings.logoKey, 160), alt: "" } : null,
    sections,
    newest,
    categories: rowsOf<CategoryCountRow>(categoriesResult)
      .filter((row) => row.parentId === null)
      .map(toCategoryLink),
  };
}

export function parseSort(value: string | null | undefined): CategorySort {
  return CATEGORY_SORTS.find((sort) => sort === value) ?? "newest";
}

const KEYSET_CURSOR = /^(-?\d{1,16})~([\w-]{1,64})$/;

function parseKeysetCursor(cursor: string | null | undefined) {
  const match = cursor ? KEYSET_CURSOR.exec(cursor) : null;
  return match?.[1] && match[2] ? { key: Number(match[1]), listingId: match[2] } : undefined;
}

/**
 * One page of a category and all its descendants, sorted, with a keyset cursor for the next page.
 * Undefined when no such category exists; an existing category without products here is an empty page.
 */
export async function categoryPage(
  d1: D1Database,
  merchantId: string,
  categoryId: string,
  options: { sort?: string | null; cursor?: string | null; pageSize?: number } = {},
): Promise<CategoryPageView | undefined> {
  const category = await findCategory(d1, categoryId);
  if (!category) return undefined;
  const sort: SortName = parseSort(options.sort);
  const pageSize = options.pageSize ?? CATEGORY_PAGE_SIZE;
  const [crumbsResult, categoriesResult, cardsResult] = await d1.batch([
    categoriesOnPath(d1, category.path),
    categoriesWithProducts(d1, merchantId),
    cardsInSubtree(d1, merchantId, category.path, sort, parseKeysetCursor(options.cursor), pageSize + 1),
  ]);
  const rows = rowsOf<CardRow>(cardsResult);
  const page = rows.slice(0, pageSize);
  const last = page.at(-1);
  return {
    category: toCrumb(category),
    breadcrumb: rowsOf<CrumbRow>(crumbsResult).map(toCrumb),
    children: rowsOf<CategoryCountRow>(categoriesResult)
      .filter((row) => row.parentId === category.id)
      .map(toCategoryLink),
    sort,
    products: page.map(toCard),
    nextCursor: rows.length > pageSize && last ? `${sortKeyOf(last, sort)}~${last.listingId}` : null,
  };
}

/**
 * Full-text search within this shop: Chinese substrings match through the index's bigrams (面膜 → 补水面膜).
 * A query with nothing searchable is an empty result, not an error.
 */
export async function searchShop(
  d1: D1Database,
  merchantId: string,
  q: string,
  options: { cursor?: string | null } = {},
): Promise<SearchView> {
  const query = q.trim().slice(0, MAX_QUERY_LENGTH);
  const match = ftsMatch(query);
  if (!match) return { query, total: 0, products: [], nextCursor: null };
  const offset = Math.min(Math.max(Number.parseInt(options.cursor ?? "0", 10) || 0, 0), MAX_SEARCH_OFFSET);
  const [cardsResult, countResult] = await d1.batch([
    searchCards(d1, merchantId, match, SEARCH_PAGE_SIZE + 1, offset),
    countSearch(d1, merchantId, match),
  ]);
  const rows = rowsOf<CardRow>(cardsResult);
  const next = offset + SEARCH_PAGE_SIZE;
  return {
    query,
    total: rowsOf<{ total: number }>(countResult)[0]?.total ?? 0,
    products: rows.slice(0, SEARCH_PAGE_SIZE).map(toCard),
    nextCursor: rows.length > SEARCH_PAGE_SIZE && next <= MAX_SEARCH_OFFSET ? String(next) : null,
  };
}

const Attributes = z.array(z.object({ name: z.string(), values: z.array(z.string()) }));

function parseJson<T>(schema: z.ZodType<T>, json: string, fallback: T): T {
  try {
    const parsed = schema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
}

/** The product's attribute order, keeping only values some variant has; option names it lacks come last. */
function attributesOf(declared: { name: string; values: string[] }[], variants: VariantView[]) {
  const present = new Map<string, Set<string>>();
  for (const variant of variants) {
    for (const [name, value] of Object.entries(variant.options)) {
      const values = present.get(name) ?? new Set<string>();
      values.add(value);
      present.set(name, values);
    }
  }
  const out = declared
    .filter((attribute) => present.has(attribute.name))
    .map((attribute) => {
      const values = present.get(attribute.name) ?? new Set<string>();
      const ordered = attribute.values.filter((value) => values.has(value));
      return { name: attribute.name, values: [...ordered, ...[...values].filter((v) => !ordered.includes(v))] };
    });
  for (const [name, values] of present) {
    if (!out.some((attribute) => attribute.name === name)) out.push({ name, values: [...values] });
  }
  return out;
}

/**
 * Everything a product page shows, or undefined when this shop does not sell the product (not listed by this
 * merchant, listing paused or removed, product delisted, supplier not approved, or no priced active SKU).
 */
export async function productPage(
  d1: D1Database,
  merchantId: string,
  productId: string,
): Promise<ProductPageView | undefined> {
  const rows = await productRows(d1, merchantId, productId);
  const { product } = rows;
  if (!product || rows.variants.length === 0) return undefined;
  const variants: VariantView[] = rows.variants.map((row) => ({
    skuId: row.skuId,
    options: parseOptions(row.options),
    priceFen: row.priceFen,
    stock: stockState(row.stock),
  }));
  const prices = variants.map((variant) => variant.priceFen);
  return {
    listingId: product.listingId,
    productId: product.productId,
    title: { zh: product.titleZh, en: product.titleEn },
    description: { zh: product.descriptionZh, en: product.descriptionEn },
    images: rows.images.map((image) => ({
      url: imageUrl(image.r2Key, GALLERY_IMAGE_WIDTH),
      srcset: imageSrcset(image.r2Key),
      alt: image.alt,
    })),
    attributes: attributesOf(parseJson(Attributes, product.attributes, []), variants),
    variants,
    minPriceFen: Math.min(...prices),
    maxPriceFen: Math.max(...prices),
    soldOut: variants.every((variant) => variant.stock.state === "sold_out"),
    breadcrumb: rows.crumbs.map(toCrumb),
  };
}

/** What the shop's sitemap lists: categories that have products here, and every product on sale. */
export async function shopSitemap(d1: D1Database, merchantId: string): Promise<SitemapView> {
  const [categoriesResult, productsResult] = await d1.batch([
    categoriesWithProducts(d1, merchantId),
    sitemapRows(d1, merchantId),
  ]);
  return {
    categoryIds: rowsOf<CategoryCountRow>(categoriesResult).map((row) => row.id),
    products: rowsOf<{ productId: string; updatedAtMs: number }>(productsResult),
  };
}
