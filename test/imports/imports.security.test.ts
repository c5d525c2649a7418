import { beforeAll, describe, expect, it } from "vitest";
import { approvedSupplier, call, platformAdmin, type Session, type SupplierTenant } from "../helpers";
import { expectCode } from "../support/problems";
import { addStaff, applyAsSupplier, bearer, createKey, openShop } from "../support/tenants";
import {
  categoryChain,
  csvOf,
  errorsOf,
  importAndWait,
  productRows,
  singleRow,
  skuByCode,
  skuCount,
  upload,
} from "./helpers";

let admin: Session;
let supplierA: SupplierTenant;
let supplierB: SupplierTenant;
let leaf: string;
let importOfA: string;

beforeAll(async () => {
  admin = await platformAdmin();
  [supplierA, supplierB] = await Promise.all([approvedSupplier(admin), approvedSupplier(admin)]);
  leaf = (await categoryChain()).leaf;
});

describe("who may upload", () => {
  it("nobody signed in: 401 unauthenticated", async () => {
    await expectCode(await upload({ headers: {} }, csvOf([singleRow("ANON", leaf)])), 401, "unauthenticated");
  });

  it("a pending supplier: 403 supplier_not_approved, and nothing is stored", async () => {
    const pending = await applyAsSupplier();
    await expectCode(await upload(pending, csvOf([singleRow("PEND", leaf)])), 403, "supplier_not_approved");
    const res = await call("/api/supplier/imports", { session: pending });
    expect(res.status).toBe(200);
    expect((await res.json<{ items: unknown[] }>()).items).toEqual([]);
  });

  it("a suspended supplier: 403 supplier_not_approved", async () => {
    const suspended = await approvedSupplier(admin);
    const res = await call(`/api/platform/suppliers/${suspended.supplierId}/suspend`, {
      method: "POST",
      session: admin,
    });
    expect(res.status).toBe(200);
    await expectCode(await upload(suspended, csvOf([singleRow("SUSP", leaf)])), 403, "supplier_not_approved");
  });

  it("a supplier's API key of a pending supplier: 403 supplier_not_approved", async () => {
    const pending = await applyAsSupplier();
    const key = await createKey(pending, "supplier");
    const res = await upload({ headers: bearer(key.secret) }, csvOf([singleRow("PKEY", leaf)]));
    await expectCode(res, 403, "supplier_not_approved");
  });

  it("a merchant, by session or API key: 403 forbidden", async () => {
    const shop = await openShop();
    const key = await createKey(shop, "merchant");
    await expectCode(await upload(shop, csvOf([singleRow("MER", leaf)])), 403, "forbidden");
    await expectCode(await upload({ headers: bearer(key.secret) }, csvOf([singleRow("MER", leaf)])), 403, "forbidden");
  });

  it("a platform admin is not a supplier: 403 forbidden", async () => {
    await expectCode(await upload(admin, csvOf([singleRow("ADM", leaf)])), 403, "forbidden");
  });

  it("a console upload without the CSRF header: 403 csrf_failed", async () => {
    const res = await call("/api/supplier/imports", {
      method: "POST",
      session: supplierA,
      noCsrf: true,
      headers: { "content-type": "text/csv" },
      body: csvOf([singleRow("CSRF", leaf)]),
    });
    await expectCode(res, 403, "csrf_failed");
  });

  it("supplier staff (not only the owner) may import", async () => {
    const staff = await addStaff(supplierA, "supplier");
    const done = await importAndWait(staff, csvOf([singleRow("STAFF", leaf)]));
    expect(done).toMatchObject({ status: "done", createdCount: 1 });
    expect(await skuByCode(supplierA.supplierId, "STAFF-1")).not.toBeNull();
  });
});

describe("one supplier's imports are invisible to another", () => {
  beforeAll(async () => {
    const res = await upload(supplierA, csvOf([singleRow("SECRET", "cat_nope")]));
    expect(res.status).toBe(202);
    importOfA = (await res.json<{ id: string }>()).id;
  });

  it("supplier B reading A's import by id: 404, like one that does not exist", async () => {
    await expectCode(await call(`/api/supplier/imports/${importOfA}`, { session: supplierB }), 404, "not_found");
  });

  it("supplier B reading A's errors or error report: 404", async () => {
    const base = `/api/supplier/imports/${importOfA}/errors`;
    await expectCode(await call(base, { session: supplierB }), 404, "not_found");
    await expectCode(await call(`${base}?format=csv`, { session: supplierB }), 404, "not_found");
  });

  it("supplier B's API key cannot read A's import either", async () => {
    const key = await createKey(supplierB, "supplier");
    const res = await call(`/api/supplier/imports/${importOfA}`, { headers: bearer(key.secret) });
    await expectCode(res, 404, "not_found");
  });

  it("B's list does not include A's import, while A's does", async () => {
    const list = async (s: SupplierTenant) =>
      (await (await call("/api/supplier/imports", { session: s })).json<{ items: { id: string }[] }>()).items;
    expect((await list(supplierB)).map((i) => i.id)).not.toContain(importOfA);
    expect((await list(supplierA)).map((i) => i.id)).toContain(importOfA);
  });

  it("the same SKU codes in B's file create B's own SKUs and leave A's untouched", async () => {
    const rows = productRows("SHARED", leaf);
    await importAndWait(supplierA, csvOf(rows));
    const before = await skuCount(supplierA.supplierId);
    const done = await importAndWait(supplierB, csvOf(rows.map((r) => ({ ...r, stock: "1" }))));
    expect(done).toMatchObject({ createdCount: 4, updatedCount: 0 });
    expect(await skuByCode(supplierA.supplierId, "SHARED-0-0")).toMatchObject({ stock: 100 });
    expect(await skuByCode(supplierB.supplierId, "SHARED-0-0")).toMatchObject({ stock: 1 });
    expect(await skuCount(supplierA.supplierId)).toBe(before);
    expect(await errorsOf(supplierB, done.id)).toEqual([]);
  });
});

describe("reading routes", () => {
  it.each([
    "/api/supplier/imports",
    "/api/supplier/imports/example.csv",
    "/api/supplier/imports/imp_someone0",
    "/api/supplier/imports/imp_someone0/errors",
  ])("GET %s signed out is 401", async (path) => {
    await expectCode(await call(path), 401, "unauthenticated");
  });

  it("a merchant cannot list supplier imports", async () => {
    const shop = await openShop();
    await expectCode(await call("/api/supplier/imports", { session: shop }), 403, "forbidden");
  });
});
