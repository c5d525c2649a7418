/**
 * @module catalog/reindex: what a product is found by (titles, Chinese description, category names, attribute
 * values) and the statements that rewrite its `product_search` row.
 */
import { runBatchStatements } from "./batch";
import { type ProductRow, productsInCategory } from "./repository";
import type { Attribute } from "./schemas";
import { searchIndexStatements } from "./search-index";

export interface CategoryNames {
  nameZh: string;
  nameEn: string;
}

type Searchable = Pick<ProductRow, "titleZh" | "titleEn" | "descriptionZh"> & { attributes: Attribute[] };

export function searchTexts(product: Searchable, category: CategoryNames | undefined): string[] {
  return [
    product.titleZh,
    product.titleEn ?? "",
    product.descriptionZh,
    category?.nameZh ?? "",
    category?.nameEn ?? "",
    ...product.attributes.flatMap((axis) => axis.values),
  ];
}

export function parseAttributes(json: string): Attribute[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? (parsed as Attribute[]) : [];
}

export function productIndexStatements(d1: D1Database, product: ProductRow, category: CategoryNames | undefined) {
  const texts = searchTexts({ ...product, attributes: parseAttributes(product.attributes) }, category);
  return searchIndexStatements(d1, product.id, texts);
}

const PAGE = 50;

/** Rewrites the search rows of every product in a category, a page per batch; returns how many were rewritten. */
export async function reindexCategoryProducts(d1: D1Database, categoryId: string, names: CategoryNames) {
  let after = "";
  let count = 0;
  for (;;) {
    const page = await productsInCategory(d1, categoryId, after, PAGE);
    const last = page.at(-1);
    if (!last) return count;
    await runBatchStatements(
      d1,
      page.flatMap((product) => productIndexStatements(d1, product, names)),
    );
    count += page.length;
    after = last.id;
  }
}
