import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, type SupplierTenant } from "../helpers";
import { expectCode } from "../support/problems";
import { addStaff, applyAsSupplier, bearer, createKey, inbox, openShop, type StaffMember } from "../support/tenants";

let shopA: MerchantTenant;
let shopB: MerchantTenant;
let supplier: SupplierTenant;
let staffA: StaffMember;
let staffB: StaffMember;

interface Invitation {
  id: string;
  email: string;
  status: string;
}

beforeAll(async () => {
  [shopA, shopB, supplier] = await Promise.all([openShop(), openShop(), applyAsSupplier()]);
  [staffA, staffB] = await Promise.all([addStaff(shopA, "merchant"), addStaff(shopB, "merchant")]);
});

async function invite(owner: MerchantTenant, email: string): Promise<Invitation> {
  const res = await call("/api/merchant/invitations", { session: owner, body: { email } });
  expect(res.status).toBe(201);
  return res.json<Invitation>();
}

async function invitations(owner: MerchantTenant): Promise<Invitation[]> {
  const res = await call("/api/merchant/invitations", { session: owner });
  expect(res.status).toBe(200);
  return (await res.json<{ items: Invitation[] }>()).items;
}

describe("merchant A sees only shop A's team", () => {
  it("A's staff list holds A's owner and staff and nobody from shop B", async () => {
    const res = await call("/api/merchant/staff", { session: shopA });
    expect(res.status).toBe(200);
    const emails = (await res.json<{ items: { email: string; role: string }[] }>()).items.map((m) => m.email);
    expect(emails).toEqual(expect.arrayContaining([shopA.email, staffA.email]));
    expect(emails).not.toContain(shopB.email);
    expect(emails).not.toContain(staffB.email);
  });

  it("A's staff member sees the same team list, also without shop B", async () => {
    const res = await call("/api/merchant/staff", { session: staffA });
    expect(res.status).toBe(200);
    const emails = (await res.json<{ items: { email: string }[] }>()).items.map((m) => m.email);
    expect(emails).toContain(shopA.email);
    expect(emails).not.toContain(shopB.email);
  });

  it("A's invitation list holds A's invitations and none of B's", async () => {
    const mine = await invite(shopA, "only-a@example.com");
    const theirs = await invite(shopB, "only-b@example.com");
    const ids = (await invitations(shopA)).map((i) => i.id);
    expect(ids).toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect(ids).not.toContain(staffB.invitationId);
  });

  it("A cannot withdraw B's invitation: 404, and it stays pending for B", async () => {
    const theirs = await invite(shopB, "keep-b@example.com");
    await expectCode(
      await call(`/api/merchant/invitations/${theirs.id}`, { method: "DELETE", session: shopA }),
      404,
      "not_found",
    );
    expect((await invitations(shopB)).find((i) => i.id === theirs.id)?.status).toBe("pending");
  });

  it("A's inbox holds A's own notes (welcome, new staff) and never B's", async () => {
    const titlesOf = async (owner: MerchantTenant) =>
      (await inbox("/api/merchant/notifications", owner)).map((n) => `${n.title}|${n.body}`);
    await expect
      .poll(() => titlesOf(shopA), { timeout: 15_000 })
      .toEqual(expect.arrayContaining([expect.stringMatching(/^欢迎开店\|/), `新成员加入|${staffA.email}`]));
    await expect
      .poll(() => titlesOf(shopB), { timeout: 15_000 })
      .toEqual(expect.arrayContaining([`新成员加入|${staffB.email}`]));
    const itemsA = await inbox("/api/merchant/notifications", shopA);
    const itemsB = await inbox("/api/merchant/notifications", shopB);
    const text = JSON.stringify(itemsA);
    expect(text).not.toContain(staffB.email);
    expect(text).not.toContain(shopB.slug);
    const idsA = itemsA.map((n) => n.id);
    for (const note of itemsB) expect(idsA).not.toContain(note.id);
    const keyA = await createKey(shopA, "merchant");
    const viaKey = await call("/api/merchant/notifications", { headers: bearer(keyA.secret) });
    const keyIds = (await viaKey.json<{ items: { id: string }[] }>()).items.map((n) => n.id);
    expect(keyIds.sort()).toEqual([...idsA].sort());
  }, 40_000);

  it("A's staff member cannot see invitations (owners only, 403)", async () => {
    await expectCode(await call("/api/merchant/invitations", { session: staffA }), 403, "forbidden");
  });
});

describe("choosing another organisation", () => {
  it.each([
    "/api/merchant/staff",
    "/api/merchant/invitations",
    "/api/merchant/notifications",
    "/api/merchant/api-keys",
  ])("naming shop B in X-Org-Id on %s is 403 forbidden for A's owner", async (path) => {
    await expectCode(await call(path, { session: shopA, headers: { "x-org-id": shopB.merchantId } }), 403, "forbidden");
  });

  it.each(["/api/merchant/staff", "/api/merchant/notifications"])(
    "a supplier owner on %s is 403 forbidden",
    async (path) => {
      await expectCode(await call(path, { session: supplier }), 403, "forbidden");
    },
  );

  it.each(["/api/supplier/staff", "/api/supplier/notifications", "/api/supplier/api-keys"])(
    "a merchant owner on %s is 403 forbidden",
    async (path) => {
      await expectCode(await call(path, { session: shopA }), 403, "forbidden");
    },
  );

  it("an anonymous caller on the staff list is 401 unauthenticated", async () => {
    await expectCode(await call("/api/merchant/staff"), 401, "unauthenticated");
  });
});
