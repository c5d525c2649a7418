/**
 * @module catalog/sku-repository: SKU lookups and the three statements that apply a set of SKU changes.
 *
 * A change carries the SKU as the service read it (`was`) and as it should become (`next`). The history insert,
 * the outbox insert and the update all join on "the row still equals `was`", and run in that order in one batch:
 * history and events exist exactly for the SKUs whose update applied, and a SKU changed by someone else in between
 * is left alone (the update returns the ids it applied; the service re-reads and retries the rest). Passing the changes as one JSON parameter keeps the batch
 * at three statements however many SKUs an ERP sends.
 */
import { and, eq, inArray, lte } from "drizzle-orm";
import { database } from "../../db/client";
import { skus } from "../../db/schema";
import { chunks, type SkuRow } from "./repository";

export type SkuState = Pick<
  SkuRow,
  "supplyPriceFen" | "suggestedRetailFen" | "mapFen" | "stock" | "weightGrams" | "barcode" | "status"
>;

export interface HistoryEntry {
  id: string;
  field: string;
  old: string | null;
  new: string | null;
}

export interface PlannedSkuChange {
  skuId: string;
  was: SkuState;
  next: SkuState;
  history: HistoryEntry[];
  /** A serialised outbox row, when the change is one merchants must hear about. */
  event?: { id: string; type: string; payload: string; occurredAtMs: number };
}

export interface ChangeActor {
  type: "user" | "api_key" | "import" | "system";
  id: string;
}

const AS_READ = `s.id = c.value ->> '$.skuId' AND s.supplier_id = ?2
  AND s.supply_price_fen = c.value ->> '$.was.supplyPriceFen'
  AND s.suggested_retail_fen = c.value ->> '$.was.suggestedRetailFen'
  AND s.map_fen IS c.value ->> '$.was.mapFen'
  AND s.stock = c.value ->> '$.was.stock'
  AND s.weight_grams = c.value ->> '$.was.weightGrams'
  AND s.barcode IS c.value ->> '$.was.barcode'
  AND s.status = c.value ->> '$.was.status'`;

export function skuChangeStatements(
  d1: D1Database,
  supplierId: string,
  actor: ChangeActor,
  changes: PlannedSkuChange[],
  nowMs: number,
): D1PreparedStatement[] {
  const plan = JSON.stringify(changes);
  return [
    d1
      .prepare(
        `INSERT INTO catalog_changes
           (id, supplier_id, entity_type, entity_id, field, old_value, new_value, actor_type, actor_id, at_ms)
         SELECT h.value ->> '$.id', s.supplier_id, 'sku', s.id, h.value ->> '$.field',
                h.value ->> '$.old', h.value ->> '$.new', ?3, ?4, ?5
           FROM json_each(?1) AS c
           JOIN skus AS s ON ${AS_READ}
           JOIN json_each(c.value, '$.history') AS h`,
      )
      .bind(plan, supplierId, actor.type, actor.id, nowMs),
    d1
      .prepare(
        `INSERT INTO outbox (id, type, payload, occurred_at_ms)
         SELECT c.value ->> '$.event.id', c.value ->> '$.event.type', c.value ->> '$.event.payload',
                c.value ->> '$.event.occurredAtMs'
           FROM json_each(?1) AS c
           JOIN skus AS s ON ${AS_READ}
          WHERE c.value ->> '$.event.id' IS NOT NULL`,
      )
      .bind(plan, supplierId),
    d1
      .prepare(
        `UPDATE skus AS s SET
           supply_price_fen = c.value ->> '$.next.supplyPriceFen',
           suggested_retail_fen = c.value ->> '$.next.suggestedRetailFen',
           map_fen = c.value ->> '$.next.mapFen',
           stock = c.value ->> '$.next.stock',
           weight_grams = c.value ->> '$.next.weightGrams',
           barcode = c.value ->> '$.next.barcode',
           status = c.value ->> '$.next.status',
           updated_at_ms = ?3
         FROM json_each(?1) AS c
         WHERE ${AS_READ}
         RETURNING id`,
      )
      .bind(plan, supplierId, nowMs),
  ];
}

export async function skusByIds(d1: D1Database, supplierId: string, ids: string[]): Promise<SkuRow[]> {
  const out: SkuRow[] = [];
  for (const part of chunks(ids, 90)) {
    if (part.length === 0) continue;
    out.push(
      ...(await database(d1)
        .select()
        .from(skus)
        .where(and(eq(skus.supplierId, supplierId), inArray(skus.id, part)))),
    );
  }
  return out;
}

export async function skusByCodes(d1: D1Database, supplierId: string, codes: string[]): Promise<SkuRow[]> {
  const out: SkuRow[] = [];
  for (const part of chunks(codes, 90)) {
    if (part.length === 0) continue;
    out.push(
      ...(await database(d1)
        .select()
        .from(skus)
        .where(and(eq(skus.supplierId, supplierId), inArray(skus.code, part)))),
    );
  }
  return out;
}

/** Stock as D1 shows it, with when the row last changed: seeds a SKU's live inventory counter. */
export async function stockRows(
  d1: D1Database,
  ids: string[],
): Promise<{ id: string; stock: number; updatedAtMs: number }[]> {
  const out: { id: string; stock: number; updatedAtMs: number }[] = [];
  for (const part of chunks(ids, 90)) {
    if (part.length === 0) continue;
    out.push(
      ...(await database(d1)
        .select({ id: skus.id, stock: skus.stock, updatedAtMs: skus.updatedAtMs })
        .from(skus)
        .where(inArray(skus.id, part))),
    );
  }
  return out;
}

/**
 * Copies the live counter's on-hand figure into `skus.stock`. Not a supplier change: no history, no event, and
 * `updated_at_ms` stays, because it dates the supplier's last statement (the counter's staleness check uses it).
 * Two confirms finishing at once may write in either order; the version keeps the later figure. The same version
 * may be written again (it is the same figure), which also repairs a stale supplier write.
 */
export function mirrorStockStatement(d1: D1Database, skuId: string, stock: number, version: number) {
  return database(d1)
    .update(skus)
    .set({ stock, stockVersion: version })
    .where(and(eq(skus.id, skuId), lte(skus.stockVersion, version)));
}
