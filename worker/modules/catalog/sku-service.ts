/**
 * @module catalog/sku-service: changes to SKU prices, MAP, stock, weight, barcode and status — from the console,
 * from ERPs by SKU code, and from the CSV importer. Each applied change writes its history rows and, when supply
 * price, MAP or stock moved, one `sku.supply_changed` event, in the same batch.
 */
import { AppError, type ProblemIssue } from "../../errors";
import { makeEvent } from "../../events/outbox";
import { newId } from "../../lib/crypto";
import { runBatchStatements } from "./batch";
import { chunks, type SkuRow } from "./repository";
import { priceIssues } from "./rules";
import type { BulkUpdateInput, SkuPatch } from "./schemas";
import { assertApprovedSupplier, skuView } from "./service";
import {
  type ChangeActor,
  mirrorStockStatement,
  type PlannedSkuChange,
  type SkuState,
  skuChangeStatements,
  skusByCodes,
  skusByIds,
  stockRows,
} from "./sku-repository";

export type SkuRef = { id: string } | { code: string };

export interface SkuChangeRequest {
  ref: SkuRef;
  patch: SkuPatch;
}

export type SkuChangeOutcome =
  | { ref: SkuRef; outcome: "updated" | "unchanged"; sku: SkuRow }
  | { ref: SkuRef; outcome: "not_found"; detail: string }
  | { ref: SkuRef; outcome: "invalid"; detail: string; issues: ProblemIssue[] }
  | { ref: SkuRef; outcome: "conflict"; detail: string };

/** Fields whose every change is kept in catalog_changes. */
const HISTORY_FIELDS = ["supplyPriceFen", "suggestedRetailFen", "mapFen", "stock", "status"] as const;
/** Fields merchants' listings depend on: a change to one of them is announced. */
const SUPPLY_FIELDS = ["supplyPriceFen", "mapFen", "stock"] as const;
/** One batch's worth of SKUs; each batch is three statements whatever its size. */
const CHANGES_PER_BATCH = 100;
const ATTEMPTS = 3;

function stateOf(row: SkuRow): SkuState {
  const { supplyPriceFen, suggestedRetailFen, mapFen, stock, weightGrams, barcode, status } = row;
  return { supplyPriceFen, suggestedRetailFen, mapFen, stock, weightGrams, barcode, status };
}

function merge(was: SkuState, patch: SkuPatch): SkuState {
  const next = { ...was };
  for (const key of Object.keys(next) as (keyof SkuState)[]) {
    const value = patch[key];
    if (value !== undefined) Object.assign(next, { [key]: value });
  }
  return next;
}

function sameState(a: SkuState, b: SkuState): boolean {
  return (Object.keys(a) as (keyof SkuState)[]).every((key) => a[key] === b[key]);
}

const text = (value: string | number | null) => (value === null ? null : String(value));

function plan(row: SkuRow, next: SkuState, nowMs: number): PlannedSkuChange {
  const was = stateOf(row);
  const history = HISTORY_FIELDS.filter((field) => was[field] !== next[field]).map((field) => ({
    id: newId("chg", nowMs),
    field,
    old: text(was[field]),
    new: text(next[field]),
  }));
  const change: PlannedSkuChange = { skuId: row.id, was, next, history };
  if (SUPPLY_FIELDS.some((field) => was[field] !== next[field])) {
    const event = makeEvent(
      "sku.supply_changed",
      {
        skuId: row.id,
        productId: row.productId,
        supplierId: row.supplierId,
        supplyPriceFen: next.supplyPriceFen,
        previousSupplyPriceFen: was.supplyPriceFen,
        mapFen: next.mapFen,
        stock: next.stock,
        previousStock: was.stock,
      },
      nowMs,
    );
    change.event = { id: event.id, type: event.type, payload: JSON.stringify(event.payload), occurredAtMs: nowMs };
  }
  return change;
}

/** The ids the guarded update's RETURNING clause reports: exactly the SKUs whose change applied. */
function appliedIds(result: D1Result | undefined): Set<string> {
  const ids = new Set<string>();
  for (const row of result?.results ?? []) {
    if (typeof row === "object" && row !== null && "id" in row && typeof row.id === "string") ids.add(row.id);
  }
  return ids;
}

function refKey(ref: SkuRef): string {
  return "id" in ref ? `id:${ref.id}` : `code:${ref.code}`;
}

async function load(d1: D1Database, supplierId: string, refs: SkuRef[]): Promise<Map<string, SkuRow>> {
  const ids = refs.flatMap((r) => ("id" in r ? [r.id] : []));
  const codes = refs.flatMap((r) => ("code" in r ? [r.code] : []));
  const [byId, byCode] = await Promise.all([skusByIds(d1, supplierId, ids), skusByCodes(d1, supplierId, codes)]);
  return new Map([
    ...byId.map((row) => [`id:${row.id}`, row] as const),
    ...byCode.map((row) => [`code:${row.code}`, row] as const),
  ]);
}

/**
 * Applies SKU changes for one supplier and reports each one; unknown SKUs and broken price rules are outcomes,
 * not failures. Re-sending the same values is `unchanged` and writes nothing, so a re-import by SKU code is
 * idempotent. A SKU changed concurrently is re-read and retried; `conflict` only after repeated collisions.
 * @example await applySkuChanges(env, supplierId, { type: "import", id: importId }, [{ ref: { code: "A-1" }, patch: { stock: 5 } }])
 */
export async function applySkuChanges(
  env: Env,
  supplierId: string,
  actor: ChangeActor,
  requests: SkuChangeRequest[],
): Promise<SkuChangeOutcome[]> {
  await assertApprovedSupplier(env.DB, supplierId);
  const outcomes = new Map<number, SkuChangeOutcome>();
  let pending = requests.map((request, index) => ({ request, index }));
  for (let attempt = 0; attempt < ATTEMPTS && pending.length; attempt++) {
    const rows = await load(
      env.DB,
      supplierId,
      pending.map((p) => p.request.ref),
    );
    const nowMs = Date.now();
    const planned: { index: number; request: SkuChangeRequest; row: SkuRow; change: PlannedSkuChange }[] = [];
    for (const { request, index } of pending) {
      const { ref, patch } = request;
      const row = rows.get(refKey(ref));
      if (!row) {
        outcomes.set(index, { ref, outcome: "not_found", detail: "No SKU with this id or code for this supplier" });
        continue;
      }
      const next = merge(stateOf(row), patch);
      const issues = priceIssues(next, "");
      if (issues.length) {
        outcomes.set(index, { ref, outcome: "invalid", detail: issues.map((i) => i.message).join("; "), issues });
        continue;
      }
      if (sameState(stateOf(row), next)) {
        outcomes.set(index, { ref, outcome: "unchanged", sku: row });
        continue;
      }
      planned.push({ index, request, row, change: plan(row, next, nowMs) });
    }
    pending = [];
    for (const part of chunks(planned, CHANGES_PER_BATCH)) {
      const changes = part.map((p) => p.change);
      const results = await runBatchStatements(env.DB, skuChangeStatements(env.DB, supplierId, actor, changes, nowMs));
      const applied = appliedIds(results.at(-1));
      for (const { index, request, row, change } of part) {
        if (applied.has(change.skuId)) {
          outcomes.set(index, {
            ref: request.ref,
            outcome: "updated",
            sku: { ...row, ...change.next, updatedAtMs: nowMs },
          });
        } else {
          pending.push({ request, index });
        }
      }
    }
  }
  for (const { request, index } of pending) {
    outcomes.set(index, { ref: request.ref, outcome: "conflict", detail: "The SKU kept changing; send it again" });
  }
  return requests.map((request, index) => {
    const outcome = outcomes.get(index);
    return outcome ?? { ref: request.ref, outcome: "conflict", detail: "Not applied" };
  });
}

/** One SKU from the console: the outcome becomes the response or its problem. */
export async function updateSku(env: Env, supplierId: string, actor: ChangeActor, skuId: string, patch: SkuPatch) {
  const [result] = await applySkuChanges(env, supplierId, actor, [{ ref: { id: skuId }, patch }]);
  switch (result?.outcome) {
    case "updated":
    case "unchanged":
      return skuView(result.sku);
    case "invalid":
      throw new AppError("price_rule_violated", result.detail, { extensions: { issues: result.issues } });
    case "not_found":
      throw new AppError("not_found", `No SKU ${skuId}`);
    default:
      throw new AppError("conflict", "The SKU changed meanwhile; reload and try again");
  }
}

/** An ERP's batch by SKU code: every item gets a result, in the order sent. */
export async function bulkUpdateSkus(env: Env, supplierId: string, actor: ChangeActor, input: BulkUpdateInput) {
  const outcomes = await applySkuChanges(
    env,
    supplierId,
    actor,
    input.items.map(({ code, ...patch }) => ({ ref: { code }, patch })),
  );
  const results = outcomes.map((o, i) => ({
    code: input.items[i]?.code ?? "",
    outcome: o.outcome,
    skuId: "sku" in o ? o.sku.id : null,
    detail: "detail" in o ? o.detail : null,
  }));
  const count = (outcome: SkuChangeOutcome["outcome"]) => results.filter((r) => r.outcome === outcome).length;
  return {
    results,
    summary: {
      updated: count("updated"),
      unchanged: count("unchanged"),
      notFound: count("not_found"),
      invalid: count("invalid"),
      conflict: count("conflict"),
    },
  };
}

/** For the inventory module: D1's stock figures (listings show these) and when each SKU last changed. */
export function skuStockFigures(d1: D1Database, skuIds: string[]) {
  return stockRows(d1, skuIds);
}

/** For the inventory module: D1 shows what the live counter says, eventually. */
export function mirrorSkuStock(d1: D1Database, skuId: string, onHand: number, version: number) {
  return mirrorStockStatement(d1, skuId, Math.max(0, onHand), version);
}
