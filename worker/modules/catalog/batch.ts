/**
 * @module catalog/batch: runs prepared statements as one D1 transaction and maps the SKU-code unique index to
 * the API's `sku_code_taken`, so a concurrent duplicate reads the same as one caught up front.
 */
import { AppError } from "../../errors";

export async function runBatchStatements(d1: D1Database, statements: D1PreparedStatement[]): Promise<D1Result[]> {
  if (statements.length === 0) return [];
  try {
    return await d1.batch(statements);
  } catch (error) {
    if (error instanceof Error && error.message.includes("UNIQUE constraint failed: skus.supplier_id, skus.code")) {
      throw new AppError("sku_code_taken", "Another SKU of this supplier took one of these codes meanwhile");
    }
    throw error;
  }
}
