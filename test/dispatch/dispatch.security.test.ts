import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { approvedSupplier, call, platformAdmin, type Session, type SupplierTenant, shopperSignIn } from "../helpers";
import {
  type DispatchWorld,
  dispatchOf,
  dispatchWorld,
  paidFor,
  received,
  SUPPLIER_HOST,
  supplierCall,
} from "../support/dispatch";
import { expectCode } from "../support/problems";
import { addStaff, bearer, createKey, openShop, type StaffMember } from "../support/tenants";

let worldA: DispatchWorld;
let supplierB: SupplierTenant;
let staffA: StaffMember;
let dispatchId = "";
let subOrderNumber: string;
let secretA: string;

function urlA(): string {
  return `${SUPPLIER_HOST}/ok?key=${worldA.key}`;
}

/** Every dispatch route, with a body where it takes one; `id` is supplier A's pending dispatch. */
function routes(): { path: string; method: string; body?: unknown }[] {
  return [
    { path: "/api/supplier/webhook", method: "GET" },
    { path: "/api/supplier/webhook", method: "PUT", body: { url: "https://erp.example.com/hook" } },
    { path: "/api/supplier/webhook", method: "DELETE" },
    { path: "/api/supplier/webhook/rotate", method: "POST" },
    { path: "/api/supplier/dispatches", method: "GET" },
    { path: "/api/supplier/dispatches.csv", method: "GET" },
    { path: `/api/supplier/dispatches/${dispatchId}/ack`, method: "POST" },
    { path: `/api/supplier/dispatches/${dispatchId}/attempts`, method: "GET" },
    { path: `/api/supplier/dispatches/${dispatchId}/resend`, method: "POST" },
  ];
}

async function endpointRowA(): Promise<{ url: string; secret: string } | null> {
  return env.DB.prepare("SELECT url, secret FROM supplier_endpoints WHERE supplier_id = ?")
    .bind(worldA.supplier.supplierId)
    .first<{ url: string; secret: string }>();
}

async function expectUntouched(): Promise<void> {
  expect(await endpointRowA()).toEqual({ url: urlA(), secret: secretA });
  const row = await env.DB.prepare("SELECT status, attempts FROM dispatches WHERE id = ?").bind(dispatchId).first();
  expect(row).toEqual({ status: "pending", attempts: 0 });
  expect(await received(worldA)).toEqual([]);
}

beforeAll(async () => {
  worldA = await dispatchWorld();
  supplierB = await approvedSupplier();
  staffA = await addStaff(worldA.supplier, "supplier");
  const order = await paidFor(worldA);
  const sub = order.subOrders[0];
  if (!sub) throw new Error("no sub-order");
  subOrderNumber = sub.number;
  // expect.poll is for tests only; the domain event creates the dispatch within a second or two.
  for (let tries = 0; tries < 50 && !dispatchId; tries += 1) {
    dispatchId = (await dispatchOf(sub.id))?.id ?? "";
    if (!dispatchId) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!dispatchId) throw new Error("the paid sub-order was never dispatched");
  // Set after the dispatch exists, so it waits unsent: every POST from here on was caused by a test.
  const saved = await supplierCall(worldA, "/webhook", "PUT", { url: urlA() });
  secretA = (await saved.json<{ secret: string }>()).secret;
});

describe("who may call the dispatch routes at all", () => {
  it("without signing in, every route is 401", async () => {
    for (const route of routes()) {
      await expectCode(await call(route.path, { method: route.method, body: route.body }), 401, "unauthenticated");
    }
    await expectUntouched();
  });

  it("a shopper's storefront session is 403 on every route", async () => {
    const shopper = await shopperSignIn(worldA.shop.host);
    for (const route of routes()) {
      const res = await call(route.path, { ...route, session: shopper, host: worldA.shop.host });
      await expectCode(res, 403, "forbidden");
    }
    await expectUntouched();
  });

  it("a merchant (session or API key) and a platform admin are 403 on every route", async () => {
    const merchant = await openShop();
    const merchantKey = bearer((await createKey(merchant, "merchant")).secret);
    const admin: Session = await platformAdmin();
    for (const route of routes()) {
      await expectCode(await call(route.path, { ...route, session: merchant }), 403, "forbidden");
      await expectCode(await call(route.path, { ...route, headers: merchantKey }), 403, "forbidden");
      await expectCode(await call(route.path, { ...route, session: admin }), 403, "forbidden");
    }
    await expectUntouched();
  });

  it("a session without the CSRF header cannot change the webhook", async () => {
    const res = await call("/api/supplier/webhook", {
      method: "PUT",
      body: { url: "https://evil.example.com/hook" },
      session: worldA.supplier,
      noCsrf: true,
    });
    await expectCode(res, 403, "csrf_failed");
    await expectUntouched();
  });
});

describe("a supplier sees only its own dispatches", () => {
  const asB = (path: string, method = "GET") => call(`/api/supplier${path}`, { session: supplierB, method });

  it("supplier B's lists and export never show supplier A's dispatch", async () => {
    for (const status of ["pending", "delivered", "acknowledged", "failed"]) {
      const res = await asB(`/dispatches?status=${status}`);
      expect(await res.json()).toEqual({ items: [], nextCursor: null });
      const csv = await (await asB(`/dispatches.csv?status=${status}`)).text();
      expect(csv).not.toContain(subOrderNumber);
      expect(csv).not.toContain(dispatchId);
    }
  });

  it("supplier B gets 404 on A's dispatch for ack, attempts and re-send, exactly like a missing one", async () => {
    for (const [action, method] of [
      ["ack", "POST"],
      ["attempts", "GET"],
      ["resend", "POST"],
    ] as const) {
      const other = await expectCode(await asB(`/dispatches/${dispatchId}/${action}`, method), 404, "not_found");
      const missing = await expectCode(await asB(`/dispatches/msg_missing_one/${action}`, method), 404, "not_found");
      expect(other.title).toBe(missing.title);
    }
    await expectUntouched();
  });

  it("supplier B's API key gets the same 404s", async () => {
    const keyB = bearer((await createKey(supplierB, "supplier")).secret);
    for (const [action, method] of [
      ["ack", "POST"],
      ["attempts", "GET"],
      ["resend", "POST"],
    ] as const) {
      await expectCode(
        await call(`/api/supplier/dispatches/${dispatchId}/${action}`, { method, headers: keyB }),
        404,
        "not_found",
      );
    }
    await expectUntouched();
  });

  it("supplier B reads and rotates only its own endpoint", async () => {
    expect(await (await asB("/webhook")).json()).toBeNull();
    await expectCode(await asB("/webhook/rotate", "POST"), 404, "not_found");
    expect((await asB("/webhook", "DELETE")).status).toBe(204);
    await expectUntouched();
  });
});

describe("staff and API keys of the supplier", () => {
  it("staff can read the endpoint (never the secret) and the dispatches, but not change the webhook", async () => {
    const read = await call("/api/supplier/webhook", { session: staffA });
    const text = await read.text();
    expect(read.status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ url: urlA(), status: "active" });
    expect(text).not.toContain(secretA);
    const list = await call("/api/supplier/dispatches", { session: staffA });
    expect((await list.json<{ items: { id: string }[] }>()).items.map((item) => item.id)).toEqual([dispatchId]);
    expect((await call(`/api/supplier/dispatches/${dispatchId}/attempts`, { session: staffA })).status).toBe(200);

    const put = { method: "PUT", body: { url: "https://erp.example.com/staff" }, session: staffA };
    await expectCode(await call("/api/supplier/webhook", put), 403, "forbidden");
    await expectCode(await call("/api/supplier/webhook/rotate", { method: "POST", session: staffA }), 403, "forbidden");
    await expectCode(await call("/api/supplier/webhook", { method: "DELETE", session: staffA }), 403, "forbidden");
    await expectUntouched();
  });

  it("the supplier's API key lists, reads attempts and acknowledges (an ERP integration pulling orders)", async () => {
    const key = bearer((await createKey(worldA.supplier, "supplier")).secret);
    const list = await call("/api/supplier/dispatches?status=pending", { headers: key });
    expect((await list.json<{ items: { id: string }[] }>()).items.map((item) => item.id)).toEqual([dispatchId]);
    expect((await call("/api/supplier/webhook", { headers: key })).status).toBe(200);
    expect((await call(`/api/supplier/dispatches/${dispatchId}/attempts`, { headers: key })).status).toBe(200);
    const csv = await call("/api/supplier/dispatches.csv", { headers: key });
    expect(await csv.text()).toContain(subOrderNumber);

    const ack = await call(`/api/supplier/dispatches/${dispatchId}/ack`, { method: "POST", headers: key });
    expect(ack.status, await ack.clone().text()).toBe(200);
    expect(await dispatchOf((await ack.json<{ subOrderId: string }>()).subOrderId)).toMatchObject({
      status: "acknowledged",
    });
  });

  it("the supplier's API key can set and rotate the webhook (integrations configure themselves)", async () => {
    const world = await dispatchWorld();
    const key = bearer((await createKey(world.supplier, "supplier")).secret);
    const url = `${SUPPLIER_HOST}/ok?key=${world.key}`;
    const saved = await call("/api/supplier/webhook", { method: "PUT", body: { url }, headers: key });
    expect(saved.status, await saved.clone().text()).toBe(200);
    expect((await saved.json<{ secret: string }>()).secret).toMatch(/^whsec_/);
    const rotated = await call("/api/supplier/webhook/rotate", { method: "POST", headers: key });
    expect(rotated.status).toBe(200);
  });
});
