/**
 * @module seed/catalog-types: the shapes shared by the demo catalog's data tables and its generator.
 */

/**
 * One product as written in the data tables. `attrs` are the axes of the SKU matrix; a value written `20片装@1.8`
 * is shown as `20片装` and multiplies the base supply price and weight by 1.8.
 */
export interface ProductDef {
  /** Name of a level-3 category (unique across the tree). */
  cat: string;
  zh: string;
  en?: string;
  desc: string;
  /** Supply price of the cheapest combination, in fen. */
  fen: number;
  /** Shipping weight of the cheapest combination, in grams. */
  g: number;
  attrs: Record<string, string[]>;
  /** Text drawn on the placeholder images; defaults to the category name. */
  label?: string;
  status?: "draft" | "delisted";
}

export interface SupplierCatalog {
  supplierId: string;
  /** SKU codes are `<prefix>-<product number>-<sku number>`; ids use it lowercased. */
  prefix: string;
  products: ProductDef[];
}

export interface SeedSku {
  id: string;
  code: string;
  options: Record<string, string>;
  supplyPriceFen: number;
  suggestedRetailFen: number;
  mapFen: number | null;
  weightGrams: number;
  barcode: string;
  stock: number;
}

export interface SeedImage {
  id: string;
  r2Key: string;
  alt: string;
  sort: number;
}

export interface SeedProduct {
  id: string;
  /** `fr_0001`: the product's part of listing and image ids. */
  key: string;
  supplierId: string;
  categoryId: string;
  /** Top-level category id (`cat_4` is 食品), used to pick listings per shop. */
  topCategoryId: string;
  /** The category's `/cat_4/cat_41/cat_411/` path: every ancestor id appears in it. */
  categoryPath: string;
  categoryNameZh: string;
  titleZh: string;
  titleEn: string | null;
  descriptionZh: string;
  attributes: { name: string; values: string[] }[];
  status: "draft" | "listed" | "delisted";
  salesCount: number;
  createdAtMs: number;
  updatedAtMs: number;
  images: SeedImage[];
  skus: SeedSku[];
  searchTerms: string;
}
