import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { DispatchStatus } from "../../worker/db/schema";
import { DISPATCH_CSV_HEADER } from "../../worker/modules/dispatch/csv";
import { deliverOnce } from "../../worker/modules/dispatch/delivery";
import type { DispatchPayload } from "../../worker/modules/dispatch/payload";
import { dispatchById, insertDispatchStatement } from "../../worker/modules/dispatch/repository";
import { call, platformAdmin, unique } from "../helpers";
import {
  type DispatchWorld,
  dispatchOf,
  dispatchWorld,
  paidFor,
  received,
  setEndpoint,
  supplierCall,
} from "../support/dispatch";
import { runQueue } from "../support/events";
import { readOrder } from "../support/orders";
import { expectCode } from "../support/problems";

interface DispatchJson {
  id: string;
  subOrderId: string;
  status: DispatchStatus;
  attempts: number;
  acknowledgedAtMs: number | null;
  failedAtMs: number | null;
  event: DispatchPayload;
}
interface Page {
  items: DispatchJson[];
  nextCursor: string | null;
}
interface PlatformOrder {
  subOrders: { dispatchStatus: DispatchStatus | null }[];
}
interface AttemptJson {
  attempt: number;
  trigger: string;
  statusCode: number | null;
  latencyMs: number;
  outcome: string;
  responseExcerpt: string | null;
}

function payloadFor(id: string, overrides: Partial<DispatchPayload["data"]> = {}): DispatchPayload {
  return {
    type: "order.dispatch.v1",
    timestamp: new Date().toISOString(),
    data: {
      dispatchId: id,
      subOrderId: `sub_${id}`,
      subOrderNumber: "20261125000101-1",
      orderNumber: "20261125000101",
      paidAt: null,
      shop: { name: "演示小店" },
      recipient: {
        name: "张三",
        phone: "13800138000",
        province: "浙江省",
        city: "杭州市",
        district: "西湖区",
        detail: "文三路 1 号",
        postalCode: null,
      },
      lines: [{ lineId: "oln_1", skuCode: "MASK-10", title: "补水面膜", options: { 规格: "10片" }, quantity: 2 }],
      note: null,
      ...overrides,
    },
  };
}

/** A dispatch row written straight to D1: lists and exports need many, in known states and times. */
async function insertDispatch(
  supplierId: string,
  status: DispatchStatus,
  createdAtMs: number,
  overrides: Partial<DispatchPayload["data"]> = {},
): Promise<string> {
  const id = unique("msg_p");
  const payload = JSON.stringify(payloadFor(id, overrides));
  const row = { id, subOrderId: `sub_${id}`, supplierId, merchantId: "mer_x", eventType: "order.dispatch.v1", payload };
  await insertDispatchStatement(env.DB, row, createdAtMs).run();
  await env.DB.prepare("UPDATE dispatches SET status = ? WHERE id = ?").bind(status, id).run();
  return id;
}

async function page(world: DispatchWorld, query: string): Promise<Page> {
  const res = await supplierCall(world, `/dispatches${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<Page>();
}

async function pendingDispatch(world: DispatchWorld): Promise<{ id: string; subOrderId: string; orderId: string }> {
  const order = await paidFor(world);
  const subOrderId = order.subOrders[0]?.id;
  if (!subOrderId) throw new Error("no sub-order");
  await expect.poll(() => dispatchOf(subOrderId), { timeout: 5_000 }).not.toBeNull();
  const row = await dispatchOf(subOrderId);
  if (!row) throw new Error("no dispatch");
  return { id: row.id, subOrderId, orderId: order.id };
}

async function attempts(world: DispatchWorld, id: string): Promise<AttemptJson[]> {
  const res = await supplierCall(world, `/dispatches/${id}/attempts`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ items: AttemptJson[] }>()).items;
}

describe("the pull list", () => {
  it("pages through pending dispatches oldest first, without repeats or gaps", async () => {
    const world = await dispatchWorld();
    const supplierId = world.supplier.supplierId;
    const ids = [];
    for (const at of [1_000, 2_000, 2_000, 3_000, 4_000]) ids.push(await insertDispatch(supplierId, "pending", at));
    const expected = [ids[0], ...[ids[1], ids[2]].sort(), ids[3], ids[4]];
    const seen: string[] = [];
    let cursor: string | null = "";
    let pages = 0;
    while (cursor !== null) {
      const result: Page = await page(world, `?status=pending&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...result.items.map((item) => item.id));
      cursor = result.nextCursor;
      pages += 1;
    }
    expect(seen).toEqual(expected);
    expect(pages).toBe(3);
  });

  it("filters by status; without one it lists what is pending", async () => {
    const world = await dispatchWorld();
    const supplierId = world.supplier.supplierId;
    const byStatus = {
      pending: await insertDispatch(supplierId, "pending", 1),
      delivered: await insertDispatch(supplierId, "delivered", 2),
      acknowledged: await insertDispatch(supplierId, "acknowledged", 3),
      failed: await insertDispatch(supplierId, "failed", 4),
    };
    for (const [status, id] of Object.entries(byStatus)) {
      const result = await page(world, `?status=${status}`);
      expect(result.items.map((item) => [item.id, item.status])).toEqual([[id, status]]);
    }
    expect((await page(world, "")).items.map((item) => item.id)).toEqual([byStatus.pending]);
  });

  it("carries the event exactly as the webhook would send it", async () => {
    const world = await dispatchWorld();
    const { id, subOrderId } = await pendingDispatch(world);
    const [item] = (await page(world, "?status=pending")).items;
    expect(item?.id).toBe(id);
    expect(item?.event.type).toBe("order.dispatch.v1");
    expect(item?.event.data).toMatchObject({ dispatchId: id, subOrderId, recipient: { name: "张三" } });
  });

  it("refuses an unknown status, a limit out of range and a forged cursor", async () => {
    const world = await dispatchWorld();
    await expectCode(await supplierCall(world, "/dispatches?status=lost"), 400, "validation_failed");
    await expectCode(await supplierCall(world, "/dispatches?limit=0"), 400, "validation_failed");
    await expectCode(await supplierCall(world, "/dispatches?limit=101"), 400, "validation_failed");
    await expectCode(await supplierCall(world, "/dispatches?cursor=bm9wZQ"), 400, "validation_failed");
    await expectCode(await supplierCall(world, "/dispatches?page=2"), 400, "validation_failed");
  });
});

describe("acknowledging a dispatch", () => {
  it("moves the sub-order to dispatched; a second ack answers the same and changes nothing", async () => {
    const world = await dispatchWorld();
    const { id, orderId } = await pendingDispatch(world);
    const first = await supplierCall(world, `/dispatches/${id}/ack`, "POST");
    expect(first.status, await first.clone().text()).toBe(200);
    const acked = await first.json<DispatchJson>();
    expect(acked).toMatchObject({ id, status: "acknowledged" });
    expect(acked.acknowledgedAtMs).toEqual(expect.any(Number));
    expect((await readOrder(world.buyer, orderId)).subOrders[0]?.status).toBe("dispatched");

    const again = await supplierCall(world, `/dispatches/${id}/ack`, "POST");
    expect(again.status).toBe(200);
    expect(await again.json<DispatchJson>()).toEqual(acked);
    expect((await page(world, "?status=pending")).items).toEqual([]);
    expect((await page(world, "?status=acknowledged")).items.map((item) => item.id)).toEqual([id]);
  });

  it("an ack that lands while a webhook attempt is in flight is not undone by that attempt", async () => {
    const world = await dispatchWorld();
    const { id } = await pendingDispatch(world);
    const before = await dispatchById(env.DB, id);
    if (!before) throw new Error("no dispatch");
    await setEndpoint(world, "/ok");
    expect((await supplierCall(world, `/dispatches/${id}/ack`, "POST")).status).toBe(200);
    // The queue consumer read the row before the ack and answers after it.
    await deliverOnce(env, before, "queue");
    expect((await dispatchById(env.DB, id))?.status).toBe("acknowledged");
  });

  it("an unknown id is a 404 and a malformed one a 400", async () => {
    const world = await dispatchWorld();
    await expectCode(await supplierCall(world, "/dispatches/msg_nothing_here/ack", "POST"), 404, "not_found");
    await expectCode(await supplierCall(world, "/dispatches/ord_1/ack", "POST"), 400, "validation_failed");
  });
});

describe("the attempt log and re-sending", () => {
  it("shows every try with its status code, latency and the start of the answer", async () => {
    const world = await dispatchWorld();
    const { id } = await pendingDispatch(world);
    await setEndpoint(world, "/fail", "&until=3");
    for (const attempt of [1, 2, 3])
      await runQueue("supplier-dispatch", [{ id: "m1", body: { dispatchId: id }, attempts: attempt }]);
    const log = await attempts(world, id);
    expect(log.map((a) => [a.attempt, a.trigger, a.statusCode, a.outcome, a.responseExcerpt])).toEqual([
      [1, "queue", 500, "retry", "upstream exploded"],
      [2, "queue", 500, "retry", "upstream exploded"],
      [3, "queue", 200, "delivered", "recovered"],
    ]);
    for (const a of log) expect(a.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("re-sending a failed dispatch POSTs it again with the same webhook-id", async () => {
    const world = await dispatchWorld();
    const { id, orderId } = await pendingDispatch(world);
    await setEndpoint(world, "/reject");
    await runQueue("supplier-dispatch", [{ id: "m1", body: { dispatchId: id }, attempts: 1 }]);
    expect((await page(world, "?status=failed")).items.map((item) => item.id)).toEqual([id]);

    await setEndpoint(world, "/ok");
    const res = await supplierCall(world, `/dispatches/${id}/resend`, "POST");
    expect(res.status, await res.clone().text()).toBe(200);
    const result = await res.json<{ outcome: string; statusCode: number; dispatch: DispatchJson }>();
    expect(result).toMatchObject({ outcome: "delivered", statusCode: 200, dispatch: { status: "delivered" } });
    const sent = await received(world);
    expect(sent.map((r) => [r.path, r.headers["webhook-id"]])).toEqual([
      ["/reject", id],
      ["/ok", id],
    ]);
    expect(sent[0]?.body).toBe(sent[1]?.body);
    expect((await attempts(world, id)).map((a) => a.trigger)).toEqual(["queue", "manual"]);
    expect((await readOrder(world.buyer, orderId)).subOrders[0]?.status).toBe("dispatched");
  });

  it("a re-send that fails again keeps the dispatch failed, with its failure time", async () => {
    const world = await dispatchWorld();
    const { id } = await pendingDispatch(world);
    await runQueue("supplier-dispatch-dlq", [{ id: "m1", body: { dispatchId: id }, attempts: 1 }]);
    await setEndpoint(world, "/fail");
    const res = await supplierCall(world, `/dispatches/${id}/resend`, "POST");
    const result = await res.json<{ outcome: string; dispatch: DispatchJson }>();
    expect(result.outcome).toBe("retry");
    expect(result.dispatch.status).toBe("failed");
    expect(result.dispatch.failedAtMs).toEqual(expect.any(Number));
  });

  it("the platform's view of the order flags the package whose dispatch failed", async () => {
    const world = await dispatchWorld();
    const { id, orderId } = await pendingDispatch(world);
    const admin = await platformAdmin();
    const before = await call(`/api/platform/orders/${orderId}`, { session: admin });
    expect((await before.json<PlatformOrder>()).subOrders[0]?.dispatchStatus).toBe("pending");
    await runQueue("supplier-dispatch-dlq", [{ id: "m1", body: { dispatchId: id }, attempts: 1 }]);
    const after = await call(`/api/platform/orders/${orderId}`, { session: admin });
    expect((await after.json<PlatformOrder>()).subOrders[0]?.dispatchStatus).toBe("failed");
  });

  it("re-sending what the supplier already has, or with no endpoint, is a 409", async () => {
    const world = await dispatchWorld();
    const { id } = await pendingDispatch(world);
    await expectCode(await supplierCall(world, `/dispatches/${id}/resend`, "POST"), 409, "invalid_transition");
    expect((await supplierCall(world, `/dispatches/${id}/ack`, "POST")).status).toBe(200);
    await setEndpoint(world, "/ok");
    await expectCode(await supplierCall(world, `/dispatches/${id}/resend`, "POST"), 409, "invalid_transition");
    expect(await received(world)).toEqual([]);
  });
});

describe("a supplier without an endpoint", () => {
  it("never gets a webhook: even a stray queue message for its dispatch sends nothing", async () => {
    const world = await dispatchWorld();
    const { id, subOrderId } = await pendingDispatch(world);
    const result = await runQueue("supplier-dispatch", [{ id: "m1", body: { dispatchId: id }, attempts: 1 }]);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(await dispatchOf(subOrderId)).toMatchObject({ status: "pending", attempts: 0 });
    expect(await attempts(world, id)).toEqual([]);
    expect(await received(world)).toEqual([]);
  });
});

describe("the CSV export", () => {
  async function csv(world: DispatchWorld, query = ""): Promise<{ res: Response; bom: number[]; text: string }> {
    const res = await supplierCall(world, `/dispatches.csv${query}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    // The decoder drops a leading BOM, so the BOM is checked on the bytes.
    return { res, bom: [...bytes.slice(0, 3)], text: new TextDecoder().decode(bytes) };
  }

  it("is UTF-8 with a BOM, one row per line, of the chosen status only", async () => {
    const world = await dispatchWorld();
    const supplierId = world.supplier.supplierId;
    await insertDispatch(supplierId, "pending", 1, {
      lines: [
        { lineId: "l1", skuCode: "A-1", title: "毛巾", options: { 颜色: "白" }, quantity: 1 },
        { lineId: "l2", skuCode: "B-2", title: "牙刷", options: {}, quantity: 3 },
      ],
    });
    const failed = await insertDispatch(supplierId, "failed", 2, { subOrderNumber: "20261125000999-1" });
    const { res, bom, text } = await csv(world);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="dispatches-pending-\d{8}\.csv"$/);
    expect(bom).toEqual([0xef, 0xbb, 0xbf]);
    const rows = text.trimEnd().split("\r\n");
    expect(rows[0]).toBe(DISPATCH_CSV_HEADER.join(","));
    expect(rows.slice(1).map((row) => row.split(",").slice(7, 11))).toEqual([
      ["A-1", "毛巾", "白", "1"],
      ["B-2", "牙刷", "", "3"],
    ]);
    const failedCsv = await csv(world, "?status=failed");
    expect(failedCsv.text).toContain("20261125000999-1");
    expect(failedCsv.text).toContain(failed);
    expect(failedCsv.text).toContain("推送失败");
  });

  it("keeps what shoppers typed as text: no formulas, quotes and line breaks quoted", async () => {
    const world = await dispatchWorld();
    await insertDispatch(world.supplier.supplierId, "pending", 1, {
      recipient: {
        name: '=HYPERLINK("http://evil.example","x")',
        phone: "+8613800138000",
        province: "浙江省",
        city: "杭州市",
        district: "西湖区",
        detail: "@SUM(A1)",
        postalCode: null,
      },
      note: "请放门口,\n谢谢",
    });
    const { text } = await csv(world);
    expect(text).toContain('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    expect(text).toContain(",'+8613800138000,");
    expect(text).toContain(",'@SUM(A1),");
    expect(text).toContain('"请放门口,\n谢谢"');
  });

  it("refuses an unknown status", async () => {
    const world = await dispatchWorld();
    await expectCode(await supplierCall(world, "/dispatches.csv?status=all"), 400, "validation_failed");
  });
});
