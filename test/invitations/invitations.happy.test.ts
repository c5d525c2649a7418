import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, lastMessageTo, PASSWORD, sessionFrom, unique } from "../helpers";
import { acceptInvitation, applyAsSupplier, freshIp, invite, openShop, setCookie, signIn } from "../support/identity";

interface StaffSessionView {
  user: { id: string; email: string; name: string };
  memberships: { orgType: string; orgId: string; role: string; orgName: string; orgSlug: string | null }[];
}

const WEEK_MS = 7 * 24 * 3_600_000;

describe("POST /api/merchant/invitations — an owner invites staff by email", () => {
  it("answers 201 with a pending invitation and emails the accept link to the invitee", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const before = Date.now();
    const res = await call("/api/merchant/invitations", { session: shop, body: { email } });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = await res.json<{
      id: string;
      email: string;
      role: string;
      status: string;
      acceptUrl: string;
      expiresAtMs: number;
    }>();
    expect(body).toMatchObject({ email, role: "staff", status: "pending" });
    expect(body.id).toMatch(/^inv_/);
    expect(body.acceptUrl).toMatch(/^http:\/\/localhost\/invite\/[0-9A-Za-z]{32}$/);
    expect(body.expiresAtMs).toBeGreaterThanOrEqual(before + WEEK_MS);
    expect(body.expiresAtMs).toBeLessThanOrEqual(Date.now() + WEEK_MS);

    const mail = await env.DB.prepare(
      "SELECT channel, subject, body FROM dev_outbox WHERE recipient = ? ORDER BY created_at_ms DESC LIMIT 1",
    )
      .bind(email)
      .first<{ channel: string; subject: string; body: string }>();
    expect(mail?.channel).toBe("email");
    expect(mail?.subject).toContain(`店铺 ${shop.slug}`);
    expect(mail?.body).toContain(body.acceptUrl);
  });

  it("the invitation appears in the owner's list as pending", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const invitation = await invite(shop, email);
    const res = await call("/api/merchant/invitations", { session: shop });
    expect(res.status).toBe(200);
    const { items } = await res.json<{ items: { id: string; email: string; status: string }[] }>();
    expect(items).toEqual([expect.objectContaining({ id: invitation.id, email, status: "pending" })]);
    expect(JSON.stringify(items)).not.toContain(invitation.token);
  });

  it("an email typed in capitals is invited, and mailed, in lowercase", async () => {
    const shop = await openShop();
    const email = `${unique("Staff.Member")}@Example.com`;
    const res = await call("/api/merchant/invitations", { session: shop, body: { email } });
    expect(res.status).toBe(201);
    expect((await res.json<{ email: string }>()).email).toBe(email.toLowerCase());
    expect(await lastMessageTo(email.toLowerCase())).toContain("/invite/");
  });
});

describe("GET /api/invitations/{token} — what the invitee sees before accepting", () => {
  it("names the shop, the email and the role, and says no account exists yet", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const { token } = await invite(shop, email);
    const res = await call(`/api/invitations/${token}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      orgType: "merchant",
      orgName: `店铺 ${shop.slug}`,
      email,
      role: "staff",
      expiresAtMs: expect.any(Number),
      accountExists: false,
    });
  });

  it("says the account exists when the invited email already has one", async () => {
    const shop = await openShop();
    const supplier = await applyAsSupplier();
    const { token } = await invite(shop, supplier.email);
    const res = await call(`/api/invitations/${token}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ email: supplier.email, accountExists: true });
  });
});

describe("POST /api/invitations/accept", () => {
  it("with a name and password creates the account; the new staff member sees the shop with role staff", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const { token } = await invite(shop, email);
    const res = await acceptInvitation({ token, name: "新员工", password: "staff-password-1" });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(setCookie(res, "ec_session").attributes.has("httponly")).toBe(true);
    const staff = sessionFrom(res);

    const session = await call("/api/auth/session", { session: staff });
    expect(session.status).toBe(200);
    const view = await session.json<StaffSessionView>();
    expect(view.user).toMatchObject({ email, name: "新员工" });
    expect(view.memberships).toEqual([
      expect.objectContaining({ orgType: "merchant", orgId: shop.merchantId, role: "staff", orgSlug: shop.slug }),
    ]);
  });

  it("the new staff member can sign in later with the chosen password and read the shop's profile", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const { token } = await invite(shop, email);
    expect((await acceptInvitation({ token, name: "新员工", password: "staff-password-1" })).status).toBe(200);
    const res = await signIn(freshIp(), email, "staff-password-1");
    expect(res.status).toBe(200);
    const profile = await call("/api/merchant/profile", { session: sessionFrom(res) });
    expect(profile.status).toBe(200);
    expect((await profile.json<{ id: string }>()).id).toBe(shop.merchantId);
  });

  it("the owner sees the new member in the team and the invitation as accepted", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const invitation = await invite(shop, email);
    const accepted = await acceptInvitation({ token: invitation.token, name: "新员工", password: "staff-password-1" });
    const staffId = (await accepted.json<StaffSessionView>()).user.id;

    const team = await call("/api/merchant/staff", { session: shop });
    const { items } = await team.json<{ items: { userId: string; email: string; role: string }[] }>();
    expect(items.map(({ userId, role }) => ({ userId, role }))).toEqual([
      { userId: shop.userId, role: "owner" },
      { userId: staffId, role: "staff" },
    ]);
    const list = await call("/api/merchant/invitations", { session: shop });
    const invitations = (await list.json<{ items: { id: string; status: string }[] }>()).items;
    expect(invitations).toEqual([expect.objectContaining({ id: invitation.id, status: "accepted" })]);
  });

  it("a supplier's owner joins a shop with their existing password and keeps their supplier", async () => {
    const shop = await openShop();
    const supplier = await applyAsSupplier();
    const { token } = await invite(shop, supplier.email);
    const res = await acceptInvitation({ token, password: PASSWORD });
    expect(res.status, await res.clone().text()).toBe(200);
    const view = await res.json<StaffSessionView>();
    expect(view.user.id).toBe(supplier.userId);
    expect(view.memberships.map(({ orgType, orgId, role }) => ({ orgType, orgId, role }))).toEqual([
      { orgType: "supplier", orgId: supplier.supplierId, role: "owner" },
      { orgType: "merchant", orgId: shop.merchantId, role: "staff" },
    ]);
    expect(await countUsersWithEmail(supplier.email)).toBe(1);
  });

  it("records a staff.joined event for the shop", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const { token } = await invite(shop, email);
    const res = await acceptInvitation({ token, name: "新员工", password: "staff-password-1" });
    const userId = (await res.json<StaffSessionView>()).user.id;
    const row = await env.DB.prepare("SELECT payload FROM outbox WHERE type = 'staff.joined' AND payload LIKE ?")
      .bind(`%${userId}%`)
      .first<{ payload: string }>();
    expect(JSON.parse(row?.payload ?? "{}")).toMatchObject({
      orgType: "merchant",
      orgId: shop.merchantId,
      userId,
      email,
    });
  });
});

describe("DELETE /api/merchant/invitations/{id}", () => {
  it("the owner withdraws an open invitation and the list shows it revoked", async () => {
    const shop = await openShop();
    const invitation = await invite(shop, `${unique("staff")}@example.com`);
    const res = await call(`/api/merchant/invitations/${invitation.id}`, { method: "DELETE", session: shop });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: invitation.id, status: "revoked" });
    const list = await call("/api/merchant/invitations", { session: shop });
    expect((await list.json<{ items: { id: string; status: string }[] }>()).items).toEqual([
      expect.objectContaining({ id: invitation.id, status: "revoked" }),
    ]);
  });
});

describe("supplier teams", () => {
  it("a supplier owner invites staff to the supplier the same way", async () => {
    const supplier = await applyAsSupplier();
    const email = `${unique("supstaff")}@example.com`;
    const { token } = await invite(supplier, email, "supplier");
    const res = await acceptInvitation({ token, name: "供应商员工", password: "staff-password-1" });
    expect(res.status).toBe(200);
    const view = await res.json<StaffSessionView>();
    expect(view.memberships).toEqual([
      expect.objectContaining({ orgType: "supplier", orgId: supplier.supplierId, role: "staff" }),
    ]);
  });
});

async function countUsersWithEmail(email: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE email = ?")
    .bind(email)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
