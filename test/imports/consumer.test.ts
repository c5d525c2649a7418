import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { approvedSupplier, call, platformAdmin, type Session, type SupplierTenant } from "../helpers";
import { delivery, runQueue } from "../support/events";
import { categoryChain, csvOf, errorsOf, productRows, progress, singleRow, skuCount, stageImport } from "./helpers";

const IMPORT_QUEUE = "catalog-imports";
const IMPORT_DLQ = "catalog-imports-dlq";

let admin: Session;
let leaf: string;

beforeAll(async () => {
  admin = await platformAdmin();
  leaf = (await categoryChain()).leaf;
});

/** Three products of two SKUs each, planned in chunks of two rows: three chunks. */
function threeProducts(prefix: string): string {
  return csvOf([1, 2, 3].flatMap((n) => productRows(`${prefix}${n}`, leaf, ["红", "蓝"], ["F"])));
}

async function markers(importId: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM processed_events WHERE consumer = 'imports' AND event_id LIKE ?",
  )
    .bind(`${importId}:%`)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("chunks out of order", () => {
  it("the import is done only when the last missing chunk arrives, whichever that is", async () => {
    const supplier = await approvedSupplier(admin);
    const staged = await stageImport(supplier.supplierId, threeProducts("ORD"), 2);
    const [first, second, third] = staged.messages;
    expect(staged.messages).toHaveLength(3);

    await runQueue(IMPORT_QUEUE, [delivery(third), delivery(first)]);
    expect(await progress(supplier, staged.id)).toMatchObject({
      status: "processing",
      processedRows: 4,
      percent: 66,
      createdCount: 4,
    });
    const result = await runQueue(IMPORT_QUEUE, [delivery(second)]);
    expect(result.retryMessages).toEqual([]);
    expect(await progress(supplier, staged.id)).toMatchObject({ status: "done", processedRows: 6, createdCount: 6 });
    expect(await skuCount(supplier.supplierId)).toBe(6);
  });
});

describe("chunks delivered more than once", () => {
  let supplier: SupplierTenant;

  beforeAll(async () => {
    supplier = await approvedSupplier(admin);
  });

  it("a chunk twice in one batch and again later counts once, and every copy is acked", async () => {
    const staged = await stageImport(supplier.supplierId, threeProducts("DUP"), 2);
    const [first] = staged.messages;
    const a = delivery(first);
    const b = delivery(first);
    const batch = await runQueue(IMPORT_QUEUE, [a, b]);
    expect(batch.explicitAcks.sort()).toEqual([a.id, b.id].sort());
    const again = delivery(first, 3);
    expect((await runQueue(IMPORT_QUEUE, [again])).explicitAcks).toEqual([again.id]);
    expect(await progress(supplier, staged.id)).toMatchObject({ processedRows: 2, createdCount: 2, updatedCount: 0 });
    expect(await markers(staged.id)).toBe(1);
  });

  it("a chunk redelivered after the import is done changes nothing", async () => {
    const staged = await stageImport(supplier.supplierId, csvOf([singleRow("LATE", leaf)]));
    await runQueue(
      IMPORT_QUEUE,
      staged.messages.map((m) => delivery(m)),
    );
    const before = await progress(supplier, staged.id);
    expect(before).toMatchObject({ status: "done", createdCount: 1 });
    await runQueue(
      IMPORT_QUEUE,
      staged.messages.map((m) => delivery(m, 2)),
    );
    expect(await progress(supplier, staged.id)).toEqual(before);
  });

  it("errors of a redelivered chunk are listed once", async () => {
    const staged = await stageImport(supplier.supplierId, csvOf([singleRow("ERRTWICE", "cat_none")]));
    await runQueue(IMPORT_QUEUE, [delivery(staged.messages[0]), delivery(staged.messages[0])]);
    expect(await errorsOf(supplier, staged.id)).toHaveLength(1);
    expect(await progress(supplier, staged.id)).toMatchObject({ errorCount: 1 });
  });
});

describe("failures", () => {
  it("a chunk whose file is missing is retried, not acked", async () => {
    const supplier = await approvedSupplier(admin);
    const staged = await stageImport(supplier.supplierId, csvOf([singleRow("GONE", leaf)]));
    await env.MEDIA.delete(`imports/${supplier.supplierId}/${staged.id}.csv`);
    const message = delivery(staged.messages[0]);
    const result = await runQueue(IMPORT_QUEUE, [message]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([message.id]);
    expect(result.explicitAcks).toEqual([]);
    expect(await progress(supplier, staged.id)).toMatchObject({ processedRows: 0 });
  });

  it("a chunk that exhausted its retries fails the import with a reason naming its rows", async () => {
    const supplier = await approvedSupplier(admin);
    const staged = await stageImport(supplier.supplierId, threeProducts("DEAD"), 2);
    const [first, second] = staged.messages;
    await runQueue(IMPORT_QUEUE, [delivery(first)]);
    const dead = delivery(second, 6);
    expect((await runQueue(IMPORT_DLQ, [dead])).explicitAcks).toEqual([dead.id]);
    const view = await progress(supplier, staged.id);
    expect(view.status).toBe("failed");
    expect(view.failureReason).toMatch(/第 4–5 行.*chunk_failed/);
    expect(view.finishedAtMs).not.toBeNull();
    const listed = await call("/api/supplier/imports", { session: supplier });
    const items = (await listed.json<{ items: { id: string; failureReason: string | null }[] }>()).items;
    expect(items.find((i) => i.id === staged.id)?.failureReason).toBe(view.failureReason);
    expect(await errorsOf(supplier, staged.id)).toEqual([{ row: 4, column: "(chunk)", message: view.failureReason }]);
  });

  it("a failed import stays failed when its other chunks finish", async () => {
    const supplier = await approvedSupplier(admin);
    const staged = await stageImport(supplier.supplierId, threeProducts("STAY"), 2);
    const [first, second, third] = staged.messages;
    await runQueue(IMPORT_DLQ, [delivery(second, 6)]);
    await runQueue(IMPORT_QUEUE, [delivery(first), delivery(third)]);
    expect(await progress(supplier, staged.id)).toMatchObject({ status: "failed", processedRows: 4 });
  });

  it("a dead-lettered copy of a chunk that was processed after all does not fail the import", async () => {
    const supplier = await approvedSupplier(admin);
    const staged = await stageImport(supplier.supplierId, csvOf([singleRow("SAVED", leaf)]));
    await runQueue(IMPORT_QUEUE, [delivery(staged.messages[0])]);
    await runQueue(IMPORT_DLQ, [delivery(staged.messages[0], 6)]);
    expect(await progress(supplier, staged.id)).toMatchObject({ status: "done", failureReason: null });
  });

  it("an unreadable message is acked and dropped rather than retried forever", async () => {
    const message = delivery({ importId: "imp_x", fromRow: "two" });
    const result = await runQueue(IMPORT_QUEUE, [message]);
    expect(result.explicitAcks).toEqual([message.id]);
    expect(result.retryMessages).toEqual([]);
  });

  it("a supplier suspended during an import stops it: failed, with the reason", async () => {
    const supplier = await approvedSupplier(admin);
    const staged = await stageImport(supplier.supplierId, csvOf([singleRow("SUSP", leaf)]));
    const res = await call(`/api/platform/suppliers/${supplier.supplierId}/suspend`, {
      method: "POST",
      session: admin,
    });
    expect(res.status).toBe(200);
    const message = delivery(staged.messages[0]);
    expect((await runQueue(IMPORT_QUEUE, [message])).explicitAcks).toEqual([message.id]);
    const view = await progress(supplier, staged.id);
    expect(view).toMatchObject({ status: "failed", createdCount: 0 });
    expect(view.failureReason).toContain("supplier_not_approved");
    expect(await skuCount(supplier.supplierId)).toBe(0);
  });
});
