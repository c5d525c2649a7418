/**
 * @module categories/repository: the platform's category tree. Categories are shared by every tenant (suppliers
 * file goods under them, merchants browse by them), so no query here is scoped to an organisation.
 */
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import { database } from "../../db/client";
import { categories } from "../../db/schema";

export type CategoryRow = typeof categories.$inferSelect;

export async function allCategories(d1: D1Database): Promise<CategoryRow[]> {
  return database(d1)
    .select()
    .from(categories)
    .orderBy(asc(categories.level), asc(categories.sort), asc(categories.createdAtMs), asc(categories.id));
}

export async function findCategoryRow(d1: D1Database, id: string): Promise<CategoryRow | undefined> {
  const [row] = await database(d1).select().from(categories).where(eq(categories.id, id)).limit(1);
  return row;
}

/** Children of a parent (or the top level for null), for sibling-name checks. */
export async function childrenOf(d1: D1Database, parentId: string | null): Promise<CategoryRow[]> {
  const parent = parentId === null ? sql`${categories.parentId} IS NULL` : eq(categories.parentId, parentId);
  return database(d1).select().from(categories).where(parent).orderBy(asc(categories.sort));
}

/**
 * Ids whose path starts with `path`. A prefix range rather than `LIKE 'path%'`: D1 refuses LIKE patterns over 50
 * bytes, which a level-2 path already exceeds, and the range can use the path index.
 */
export async function idsUnderPath(d1: D1Database, path: string): Promise<string[]> {
  const rows = await database(d1)
    .select({ id: categories.id })
    .from(categories)
    .where(and(gte(categories.path, path), lt(categories.path, `${path}\uffff`)))
    .orderBy(asc(categories.level), asc(categories.sort));
  return rows.map((r) => r.id);
}

export async function insertCategory(d1: D1Database, row: typeof categories.$inferInsert): Promise<void> {
  await database(d1).insert(categories).values(row);
}

export async function updateCategory(
  d1: D1Database,
  id: string,
  patch: Partial<Pick<CategoryRow, "nameZh" | "nameEn" | "sort">>,
): Promise<CategoryRow | undefined> {
  const [row] = await database(d1).update(categories).set(patch).where(eq(categories.id, id)).returning();
  return row;
}

/**
 * Deletes a category only if nothing hangs under it. The products check reads the catalog's table on purpose: in
 * one statement, a product filed at the same moment cannot be left pointing at a deleted category.
 */
export async function deleteUnusedCategory(d1: D1Database, id: string): Promise<boolean> {
  const result = await d1
    .prepare(
      `DELETE FROM categories WHERE id = ?1
         AND NOT EXISTS (SELECT 1 FROM categories WHERE parent_id = ?1)
         AND NOT EXISTS (SELECT 1 FROM products WHERE category_id = ?1)`,
    )
    .bind(id)
    .run();
  return result.meta.changes > 0;
}

export async function usage(d1: D1Database, id: string): Promise<{ children: number; products: number }> {
  const row = await d1
    .prepare(
      `SELECT (SELECT COUNT(*) FROM categories WHERE parent_id = ?1) AS children,
              (SELECT COUNT(*) FROM products WHERE category_id = ?1) AS products`,
    )
    .bind(id)
    .first<{ children: number; products: number }>();
  return row ?? { children: 0, products: 0 };
}
