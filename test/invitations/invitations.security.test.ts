import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../worker/lib/crypto";
import { call, PASSWORD, type Session, sessionFrom, unique } from "../helpers";
import { acceptInvitation, applyAsSupplier, countRows, invite, openShop } from "../support/identity";
import { problemOf } from "../support/identity-problems";

/** A shop with an owner and one staff member who joined by invitation. */
async function shopWithStaff() {
  const shop = await openShop();
  const email = `${unique("staff")}@example.com`;
  const { token } = await invite(shop, email);
  const res = await acceptInvitation({ token, name: "员工", password: "staff-password-1" });
  expect(res.status).toBe(200);
  const staff: Session = sessionFrom(res);
  return { shop, staff, staffEmail: email };
}

describe("staff are not owners", () => {
  it("a staff member cannot invite anyone: 403 forbidden, and no email goes out", async () => {
    const { staff } = await shopWithStaff();
    const email = `${unique("friend")}@example.com`;
    await problemOf(await call("/api/merchant/invitations", { session: staff, body: { email } }), 403, "forbidden");
    expect(await countRows("SELECT COUNT(*) AS n FROM invitations WHERE email = ?", email)).toBe(0);
    expect(await countRows("SELECT COUNT(*) AS n FROM dev_outbox WHERE recipient = ?", email)).toBe(0);
  });

  it("a staff member cannot list or withdraw the shop's invitations: 403 forbidden", async () => {
    const { shop, staff } = await shopWithStaff();
    const open = await invite(shop, `${unique("next")}@example.com`);
    await problemOf(await call("/api/merchant/invitations", { session: staff }), 403, "forbidden");
    await problemOf(
      await call(`/api/merchant/invitations/${open.id}`, { method: "DELETE", session: staff }),
      403,
      "forbidden",
    );
    expect((await call(`/api/invitations/${open.token}`)).status).toBe(200);
  });

  it("a staff member cannot list or create API keys: 403 forbidden, and no key is made", async () => {
    const { shop, staff } = await shopWithStaff();
    await problemOf(await call("/api/merchant/api-keys", { session: staff }), 403, "forbidden");
    await problemOf(await call("/api/merchant/api-keys", { session: staff, body: { name: "ERP" } }), 403, "forbidden");
    expect(await countRows("SELECT COUNT(*) AS n FROM api_keys WHERE org_id = ?", shop.merchantId)).toBe(0);
  });

  it("a staff member cannot rename the shop: 403 forbidden", async () => {
    const { shop, staff } = await shopWithStaff();
    await problemOf(
      await call("/api/merchant/profile", { method: "PATCH", session: staff, body: { name: "员工改的名" } }),
      403,
      "forbidden",
    );
    const profile = await call("/api/merchant/profile", { session: shop });
    expect((await profile.json<{ name: string }>()).name).toBe(`店铺 ${shop.slug}`);
  });

  it("the owner, by contrast, can create and list API keys", async () => {
    const shop = await openShop();
    const created = await call("/api/merchant/api-keys", { session: shop, body: { name: "ERP" } });
    expect(created.status, await created.clone().text()).toBe(201);
    const list = await call("/api/merchant/api-keys", { session: shop });
    expect(list.status).toBe(200);
    expect((await list.json<{ items: { name: string }[] }>()).items.map((k) => k.name)).toEqual(["ERP"]);
  });

  it("an owner cannot invite someone as an owner: the role is staff or nothing", async () => {
    const shop = await openShop();
    const email = `${unique("boss")}@example.com`;
    await problemOf(
      await call("/api/merchant/invitations", { session: shop, body: { email, role: "owner" } }),
      400,
      "validation_failed",
    );
    expect(await countRows("SELECT COUNT(*) AS n FROM invitations WHERE email = ?", email)).toBe(0);
  });
});

describe("one shop's invitations are not another shop's", () => {
  it("merchant B cannot withdraw merchant A's invitation: 404, and it stays open for the invitee", async () => {
    const a = await openShop();
    const b = await openShop();
    const email = `${unique("staff")}@example.com`;
    const invitation = await invite(a, email);
    await problemOf(
      await call(`/api/merchant/invitations/${invitation.id}`, { method: "DELETE", session: b }),
      404,
      "not_found",
    );
    const list = await call("/api/merchant/invitations", { session: a });
    expect((await list.json<{ items: { id: string; status: string }[] }>()).items).toEqual([
      expect.objectContaining({ id: invitation.id, status: "pending" }),
    ]);
    expect(
      (await acceptInvitation({ token: invitation.token, name: "员工", password: "staff-password-1" })).status,
    ).toBe(200);
  });

  it("merchant B's invitation list does not show merchant A's invitations", async () => {
    const a = await openShop();
    const b = await openShop();
    await invite(a, `${unique("staff")}@example.com`);
    const list = await call("/api/merchant/invitations", { session: b });
    expect(list.status).toBe(200);
    expect((await list.json<{ items: unknown[] }>()).items).toEqual([]);
  });

  it("a supplier owner cannot see or withdraw a shop's invitations through the supplier console", async () => {
    const shop = await openShop();
    const supplier = await applyAsSupplier();
    const invitation = await invite(shop, `${unique("staff")}@example.com`);
    const list = await call("/api/supplier/invitations", { session: supplier });
    expect((await list.json<{ items: unknown[] }>()).items).toEqual([]);
    await problemOf(
      await call(`/api/supplier/invitations/${invitation.id}`, { method: "DELETE", session: supplier }),
      404,
      "not_found",
    );
    await problemOf(await call("/api/merchant/invitations", { session: supplier }), 403, "forbidden");
  });

  it("a staff member of shop A has no access to shop B's console", async () => {
    const { staff } = await shopWithStaff();
    const b = await openShop();
    await problemOf(
      await call("/api/merchant/staff", { session: staff, headers: { "x-org-id": b.merchantId } }),
      403,
      "forbidden",
    );
  });
});

describe("what an invitation hands out", () => {
  it("accepting while signed in as someone else adds the invited person, not the signed-in user", async () => {
    const shop = await openShop();
    const bystander = await applyAsSupplier();
    const email = `${unique("staff")}@example.com`;
    const { token } = await invite(shop, email);
    const res = await call("/api/invitations/accept", {
      session: bystander,
      body: { token, name: "员工", password: "staff-password-1" },
    });
    expect(res.status).toBe(200);
    expect((await res.json<{ user: { email: string } }>()).user.email).toBe(email);
    expect(
      await countRows(
        "SELECT COUNT(*) AS n FROM memberships WHERE user_id = ? AND org_id = ?",
        bystander.userId,
        shop.merchantId,
      ),
    ).toBe(0);
  });

  it("the database keeps only a hash of the invitation token", async () => {
    const shop = await openShop();
    const { id, token } = await invite(shop, `${unique("staff")}@example.com`);
    const row = await env.DB.prepare("SELECT * FROM invitations WHERE id = ?")
      .bind(id)
      .first<Record<string, unknown>>();
    expect(row?.token_hash).toBe(await sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it("the invitation listing never repeats the accept link", async () => {
    const shop = await openShop();
    const { token } = await invite(shop, `${unique("staff")}@example.com`);
    const list = await call("/api/merchant/invitations", { session: shop });
    const text = await list.text();
    expect(text).not.toContain(token);
    expect(text).not.toContain("acceptUrl");
  });

  it("an invitation addressed to a supplier's owner cannot be taken over by guessing a password", async () => {
    const shop = await openShop();
    const supplier = await applyAsSupplier();
    const { token } = await invite(shop, supplier.email);
    for (const password of ["123456789012", "password1234", "qwertyuiop12"]) {
      await problemOf(await acceptInvitation({ token, password }), 401, "invalid_credentials");
    }
    expect((await acceptInvitation({ token, password: PASSWORD })).status).toBe(200);
  });
});
