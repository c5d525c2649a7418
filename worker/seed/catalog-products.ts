/**
 * @module seed/catalog-products: turns the suppliers' data tables into products, the full SKU matrix, placeholder
 * images and search terms. Prices, stock, barcodes and dates come from a PRNG seeded with the product id, so every
 * run produces the same rows; only timestamps move with the run time (they are "N days before now").
 */
import { indexTerms } from "../modules/catalog/search-index.ts";
import { placeholderKey } from "../modules/media/urls.ts";
import type { SeedCategory } from "./catalog-categories.ts";
import { BABY_CATALOG } from "./catalog-products-baby.ts";
import { BEAUTY_CATALOG } from "./catalog-products-beauty.ts";
import { FRESH_CATALOG } from "./catalog-products-fresh.ts";
import { HOME_CATALOG } from "./catalog-products-home.ts";
import type { ProductDef, SeedImage, SeedProduct, SeedSku, SupplierCatalog } from "./catalog-types.ts";
import { between, type Rng, rng, within } from "./prng.ts";

export const SUPPLIER_CATALOGS: readonly SupplierCatalog[] = [
  FRESH_CATALOG,
  HOME_CATALOG,
  BEAUTY_CATALOG,
  BABY_CATALOG,
];

const DAY_MS = 86_400_000;

/** Placeholder image hue per top-level category, so a shop's grid reads by colour. */
const TOP_HUE: Record<string, number> = {
  cat_1: 200,
  cat_2: 330,
  cat_3: 290,
  cat_4: 30,
  cat_5: 220,
  cat_6: 260,
  cat_7: 140,
  cat_8: 45,
  cat_9: 180,
  cat_10: 100,
};

/** The demo keeps every supply price realistic; a data-table typo fails the seed instead of seeding ¥0.05 rice. */
const SUPPLY_MIN_FEN = 500;
const SUPPLY_MAX_FEN = 30_000;

interface AxisValue {
  name: string;
  value: string;
  factor: number;
}

function axisValue(name: string, raw: string): AxisValue {
  const at = raw.lastIndexOf("@");
  if (at < 0) return { name, value: raw, factor: 1 };
  return { name, value: raw.slice(0, at), factor: Number(raw.slice(at + 1)) };
}

/** Every combination of one value per attribute; the first attribute varies slowest, as a supplier would list it. */
function matrix(attrs: Record<string, string[]>): AxisValue[][] {
  let rows: AxisValue[][] = [[]];
  for (const [name, values] of Object.entries(attrs)) {
    rows = rows.flatMap((row) => values.map((raw) => [...row, axisValue(name, raw)]));
  }
  return rows;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");
const roundTo10 = (fen: number) => Math.round(fen / 10) * 10;
const ceilTo10 = (fen: number) => Math.ceil(fen / 10) * 10;

/** A shelf price such as ¥59.90 near `ratio` × supply, kept inside the 1.3–2.2 band around the supply price. */
function suggestedRetail(supplyFen: number, ratio: number): number {
  const pretty = Math.ceil((supplyFen * ratio) / 100) * 100 - 10;
  const band = pretty / supplyFen;
  return band >= 1.3 && band <= 2.2 ? pretty : ceilTo10(supplyFen * ratio);
}

/** EAN-13 under the 69 (China) prefix with a valid check digit. */
function barcode(r: Rng): string {
  let digits = "69";
  while (digits.length < 12) digits += String(between(r, 0, 9));
  const sum = [...digits].reduce((acc, d, i) => acc + Number(d) * (i % 2 === 0 ? 1 : 3), 0);
  return `${digits}${(10 - (sum % 10)) % 10}`;
}

function buildSkus(def: ProductDef, key: string, prefix: string, number: number, r: Rng): SeedSku[] {
  const retailRatio = within(r, 1.35, 2.05);
  const hasMap = r() < 0.3;
  return matrix(def.attrs).map((combo, i) => {
    const factor = combo.reduce((acc, axis) => acc * axis.factor, 1);
    const supplyPriceFen = roundTo10(def.fen * factor);
    if (supplyPriceFen < SUPPLY_MIN_FEN || supplyPriceFen > SUPPLY_MAX_FEN) {
      throw new Error(`${key}: supply price ${supplyPriceFen} fen is outside ${SUPPLY_MIN_FEN}–${SUPPLY_MAX_FEN}`);
    }
    const suggestedRetailFen = suggestedRetail(supplyPriceFen, retailRatio);
    return {
      id: `sku_${key}_${pad(i + 1, 2)}`,
      code: `${prefix}-${pad(number, 4)}-${pad(i + 1, 2)}`,
      options: Object.fromEntries(combo.map((axis) => [axis.name, axis.value])),
      supplyPriceFen,
      suggestedRetailFen,
      // Below the suggested retail price (≥ 1.3 × supply), so a shop can always price between the floor and it.
      mapFen: hasMap ? ceilTo10(supplyPriceFen * 1.25) : null,
      weightGrams: Math.round(def.g * factor),
      barcode: barcode(r),
      stock: r() < 0.05 ? 0 : between(r, 20, 500),
    };
  });
}

function buildImages(def: ProductDef, key: string, label: string, topId: string, r: Rng): SeedImage[] {
  const hue = (TOP_HUE[topId] ?? 0) + between(r, -15, 15);
  const count = between(r, 1, 3);
  return Array.from({ length: count }, (_, i) => ({
    id: `img_${key}_${i + 1}`,
    r2Key: placeholderKey(hue + i * 35, label),
    alt: i === 0 ? def.zh : `${def.zh} 图${i + 1}`,
    sort: i,
  }));
}

function categoryLookup(categories: SeedCategory[]): (name: string) => SeedCategory {
  const byName = new Map<string, SeedCategory[]>();
  for (const c of categories) if (c.level === 3) byName.set(c.nameZh, [...(byName.get(c.nameZh) ?? []), c]);
  return (name) => {
    const found = byName.get(name) ?? [];
    const [only] = found;
    if (!only || found.length > 1) throw new Error(`level-3 category "${name}" matches ${found.length} categories`);
    return only;
  };
}

function buildProduct(
  catalog: SupplierCatalog,
  def: ProductDef,
  number: number,
  category: SeedCategory,
  nowMs: number,
): SeedProduct {
  const key = `${catalog.prefix.toLowerCase()}_${pad(number, 4)}`;
  const id = `prd_${key}`;
  const r = rng(id);
  const topId = category.path.split("/")[1] ?? category.id;
  const ageDays = within(r, 2, 90);
  const createdAtMs = nowMs - Math.round(ageDays * DAY_MS);
  const updatedAtMs = createdAtMs + Math.round(r() * 0.8 * ageDays * DAY_MS);
  const status = def.status ?? "listed";
  // Cubed so most goods sell modestly and a few are best-sellers, as in a real pool.
  const salesCount = status === "draft" ? 0 : Math.floor(r() ** 3 * 12_000);
  const attributes = Object.entries(def.attrs).map(([name, raw]) => ({
    name,
    values: raw.map((v) => axisValue(name, v).value),
  }));
  const texts = [def.zh, def.en ?? "", def.desc, category.nameZh, ...attributes.flatMap((a) => a.values)];
  return {
    id,
    key,
    supplierId: catalog.supplierId,
    categoryId: category.id,
    topCategoryId: topId,
    categoryPath: category.path,
    categoryNameZh: category.nameZh,
    titleZh: def.zh,
    titleEn: def.en ?? null,
    descriptionZh: def.desc,
    attributes,
    status,
    salesCount,
    createdAtMs,
    updatedAtMs,
    skus: buildSkus(def, key, catalog.prefix, number, r),
    images: buildImages(def, key, def.label ?? category.nameZh, topId, r),
    searchTerms: indexTerms(texts.join(" ")).join(" "),
  };
}

/** Every demo product with its SKUs and images, in data-table order. */
export function demoProducts(categories: SeedCategory[], nowMs: number): SeedProduct[] {
  const lookup = categoryLookup(categories);
  return SUPPLIER_CATALOGS.flatMap((catalog) =>
    catalog.products.map((def, i) => buildProduct(catalog, def, i + 1, lookup(def.cat), nowMs)),
  );
}
