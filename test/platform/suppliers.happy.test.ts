import { beforeAll, describe, expect, it } from "vitest";
import { call, platformAdmin, type Session } from "../helpers";
import { applyAsSupplier, inbox, openShop } from "../support/tenants";

interface PlatformSupplier {
  id: string;
  name: string;
  status: string;
  statusReason: string | null;
  reviewedAtMs: number | null;
}

let admin: Session;

beforeAll(async () => {
  admin = await platformAdmin();
});

async function suppliers(status?: string): Promise<PlatformSupplier[]> {
  const res = await call(`/api/platform/suppliers${status ? `?status=${status}` : ""}`, { session: admin });
  expect(res.status).toBe(200);
  return (await res.json<{ items: PlatformSupplier[] }>()).items;
}

async function decide(id: string, decision: string, body?: unknown): Promise<Response> {
  return call(`/api/platform/suppliers/${id}/${decision}`, { method: "POST", session: admin, body });
}

describe("supplier review", () => {
  it("a new applicant shows up among pending suppliers and not among approved ones", async () => {
    const applicant = await applyAsSupplier();
    expect((await suppliers("pending")).map((s) => s.id)).toContain(applicant.supplierId);
    expect((await suppliers("approved")).map((s) => s.id)).not.toContain(applicant.supplierId);
    expect((await suppliers()).map((s) => s.id)).toContain(applicant.supplierId);
  });

  it("approving moves a supplier from pending to approved, and the supplier sees it", async () => {
    const applicant = await applyAsSupplier();
    const before = Date.now();
    const res = await decide(applicant.supplierId, "approve");
    expect(res.status).toBe(200);
    const body = await res.json<PlatformSupplier>();
    expect(body).toMatchObject({ id: applicant.supplierId, status: "approved" });
    expect(body.reviewedAtMs).toBeGreaterThanOrEqual(before);
    expect((await suppliers("pending")).map((s) => s.id)).not.toContain(applicant.supplierId);
    expect((await suppliers("approved")).map((s) => s.id)).toContain(applicant.supplierId);
    const own = await call("/api/supplier/profile", { session: applicant });
    expect((await own.json<{ status: string }>()).status).toBe("approved");
  });

  it("an approved supplier can be suspended with a reason and then reinstated", async () => {
    const applicant = await applyAsSupplier();
    expect((await decide(applicant.supplierId, "approve")).status).toBe(200);
    const suspended = await decide(applicant.supplierId, "suspend", { reason: "资质过期" });
    expect(suspended.status).toBe(200);
    expect(await suspended.json<PlatformSupplier>()).toMatchObject({ status: "suspended", statusReason: "资质过期" });
    expect((await suppliers("suspended")).map((s) => s.id)).toContain(applicant.supplierId);
    const reinstated = await decide(applicant.supplierId, "reinstate");
    expect(reinstated.status).toBe(200);
    expect(await reinstated.json<PlatformSupplier>()).toMatchObject({ status: "approved", statusReason: null });
  });

  it("a pending supplier can be rejected with a reason the supplier can read", async () => {
    const applicant = await applyAsSupplier();
    const res = await decide(applicant.supplierId, "reject", { reason: "  营业执照不清晰  " });
    expect(res.status).toBe(200);
    expect(await res.json<PlatformSupplier>()).toMatchObject({ status: "rejected", statusReason: "营业执照不清晰" });
    const own = await (await call("/api/supplier/profile", { session: applicant })).json<{ statusReason: string }>();
    expect(own.statusReason).toBe("营业执照不清晰");
  });
});

describe("what the review tells people", () => {
  it("after approval the supplier's inbox gets exactly one '供应商已通过审核' note", async () => {
    const applicant = await applyAsSupplier();
    expect((await decide(applicant.supplierId, "approve")).status).toBe(200);
    const approvedNotes = async () =>
      (await inbox("/api/supplier/notifications", applicant)).filter((n) => n.title === "供应商已通过审核");
    await expect.poll(async () => (await approvedNotes()).length, { timeout: 15_000 }).toBe(1);
    // Give any duplicate delivery time to land before checking there is still one.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await approvedNotes()).toHaveLength(1);
  }, 30_000);

  it("a suspension reaches the supplier with its reason", async () => {
    const applicant = await applyAsSupplier();
    expect((await decide(applicant.supplierId, "approve")).status).toBe(200);
    expect((await decide(applicant.supplierId, "suspend", { reason: "投诉较多" })).status).toBe(200);
    await expect
      .poll(async () => (await inbox("/api/supplier/notifications", applicant)).map((n) => `${n.title}|${n.body}`), {
        timeout: 15_000,
      })
      .toContain("供应商已被暂停|原因：投诉较多");
  }, 30_000);

  it("the platform inbox announces a new supplier application and a new shop", async () => {
    const applicant = await applyAsSupplier();
    const shop = await openShop();
    await expect
      .poll(async () => (await inbox("/api/platform/notifications", admin)).map((n) => n.title), { timeout: 15_000 })
      .toEqual(expect.arrayContaining([`供应商申请：${applicant.name}`, `新商户入驻：店铺 ${shop.slug}`]));
  }, 30_000);

  it("an admin lists all shops, the newest included", async () => {
    const shop = await openShop();
    const res = await call("/api/platform/merchants", { session: admin });
    expect(res.status).toBe(200);
    const items = (await res.json<{ items: { id: string; slug: string }[] }>()).items;
    expect(items).toContainEqual(expect.objectContaining({ id: shop.merchantId, slug: shop.slug }));
  });
});
