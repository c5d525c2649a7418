/**
 * @module categories/service: the platform's three-level category tree. Goods are filed under level-3 leaves;
 * the catalog, pool and storefront modules read the tree through the functions exported here.
 */
import { AppError } from "../../errors";
import { newId } from "../../lib/crypto";
import { reindexCategoryProducts } from "../catalog/reindex";
import {
  allCategories,
  type CategoryRow,
  childrenOf,
  deleteUnusedCategory,
  findCategoryRow,
  idsUnderPath,
  insertCategory,
  updateCategory as updateCategoryRow,
  usage,
} from "./repository";
import type { CategoryNodeView, CreateCategoryInput, UpdateCategoryInput } from "./schemas";

export type { CategoryRow };

export const MAX_CATEGORY_LEVEL = 3;

function view(row: CategoryRow): CategoryNodeView {
  const { id, parentId, level, nameZh, nameEn, sort, path } = row;
  return { id, parentId, level, nameZh, nameEn, sort, path, children: [] };
}

/**
 * The whole tree, nested, each level ordered by `sort` (then age).
 * @example const [top] = await categoryTree(env.DB); top?.children[0]?.children // level-3 leaves
 */
export async function categoryTree(d1: D1Database): Promise<CategoryNodeView[]> {
  const rows = await allCategories(d1);
  const nodes = new Map<string, CategoryNodeView>();
  const roots: CategoryNodeView[] = [];
  // Rows come ordered by level, so every parent is placed before its children.
  for (const row of rows) {
    const node = view(row);
    nodes.set(row.id, node);
    const parent = row.parentId ? nodes.get(row.parentId) : undefined;
    if (parent) parent.children.push(node);
    else if (row.parentId === null) roots.push(node);
  }
  return roots;
}

export async function findCategory(d1: D1Database, id: string): Promise<CategoryRow | undefined> {
  return findCategoryRow(d1, id);
}

/** Only the deepest level holds goods. */
export function isLeaf(category: Pick<CategoryRow, "level">): boolean {
  return category.level === MAX_CATEGORY_LEVEL;
}

/** The category and every category below it (empty when it does not exist). */
export async function subtreeIds(d1: D1Database, id: string): Promise<string[]> {
  const category = await findCategoryRow(d1, id);
  return category ? idsUnderPath(d1, category.path) : [];
}

async function assertNameFree(d1: D1Database, parentId: string | null, nameZh: string, selfId?: string) {
  const siblings = await childrenOf(d1, parentId);
  if (siblings.some((s) => s.id !== selfId && s.nameZh === nameZh)) {
    throw new AppError("category_name_taken", `"${nameZh}" already exists at this level`);
  }
}

export async function createCategory(d1: D1Database, input: CreateCategoryInput): Promise<CategoryRow> {
  let level = 1;
  let parentPath = "/";
  if (input.parentId !== null) {
    const parent = await findCategoryRow(d1, input.parentId);
    if (!parent) throw new AppError("unknown_category", `No category ${input.parentId}`);
    if (parent.level >= MAX_CATEGORY_LEVEL) {
      throw new AppError("category_too_deep", `"${parent.nameZh}" is level ${parent.level}; it cannot have children`);
    }
    level = parent.level + 1;
    parentPath = parent.path;
  }
  await assertNameFree(d1, input.parentId, input.nameZh);
  const id = newId("cat");
  const row: CategoryRow = {
    id,
    parentId: input.parentId,
    level,
    nameZh: input.nameZh,
    nameEn: input.nameEn,
    sort: input.sort,
    path: `${parentPath}${id}/`,
    createdAtMs: Date.now(),
  };
  await insertCategory(d1, row);
  return row;
}

/** Renames or re-sorts; a rename re-indexes the goods filed under the category, whose search terms include it. */
export async function updateCategory(d1: D1Database, id: string, patch: UpdateCategoryInput): Promise<CategoryRow> {
  const current = await findCategoryRow(d1, id);
  if (!current) throw new AppError("not_found", `No category ${id}`);
  if (patch.nameZh !== undefined && patch.nameZh !== current.nameZh) {
    await assertNameFree(d1, current.parentId, patch.nameZh, id);
  }
  const updated = Object.keys(patch).length ? await updateCategoryRow(d1, id, patch) : current;
  if (!updated) throw new AppError("not_found", `No category ${id}`);
  if (updated.nameZh !== current.nameZh || updated.nameEn !== current.nameEn) {
    await reindexCategoryProducts(d1, id, updated);
  }
  return updated;
}

export async function deleteCategory(d1: D1Database, id: string): Promise<void> {
  if (await deleteUnusedCategory(d1, id)) return;
  if (!(await findCategoryRow(d1, id))) throw new AppError("not_found", `No category ${id}`);
  const { children, products } = await usage(d1, id);
  throw new AppError("category_in_use", `Category has ${children} subcategories and ${products} products`, {
    extensions: { children, products },
  });
}
