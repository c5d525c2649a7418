/**
 * @module shipping/repository: suppliers' shipping templates, one row per supplier; every query names the supplier.
 */
import { eq, inArray } from "drizzle-orm";
import { database } from "../../db/client";
import { shippingTemplates } from "../../db/schema";

export type ShippingTemplateRow = typeof shippingTemplates.$inferSelect;
export type ShippingTemplateWrite = Omit<ShippingTemplateRow, "supplierId" | "updatedAtMs">;

export async function findTemplate(d1: D1Database, supplierId: string): Promise<ShippingTemplateRow | undefined> {
  const [row] = await database(d1)
    .select()
    .from(shippingTemplates)
    .where(eq(shippingTemplates.supplierId, supplierId))
    .limit(1);
  return row;
}

export async function findTemplates(d1: D1Database, supplierIds: string[]): Promise<ShippingTemplateRow[]> {
  const out: ShippingTemplateRow[] = [];
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < supplierIds.length; i += 90) {
    const chunk = supplierIds.slice(i, i + 90);
    out.push(
      ...(await database(d1).select().from(shippingTemplates).where(inArray(shippingTemplates.supplierId, chunk))),
    );
  }
  return out;
}

export async function upsertTemplate(
  d1: D1Database,
  supplierId: string,
  write: ShippingTemplateWrite,
  nowMs: number,
): Promise<void> {
  await database(d1)
    .insert(shippingTemplates)
    .values({ supplierId, ...write, updatedAtMs: nowMs })
    .onConflictDoUpdate({ target: shippingTemplates.supplierId, set: { ...write, updatedAtMs: nowMs } });
}
