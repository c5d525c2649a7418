import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { randomToken } from "../../worker/lib/crypto";
import { call, PASSWORD, unique } from "../helpers";
import { acceptInvitation, applyAsSupplier, countRows, invite, openShop } from "../support/identity";
import { issuePaths, problemOf } from "../support/identity-problems";

const membershipsOf = (email: string, merchantId: string) =>
  countRows(
    "SELECT COUNT(*) AS n FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = ? AND m.org_id = ?",
    email,
    merchantId,
  );

describe("invitations that can no longer be used", () => {
  it("an accepted invitation cannot be used a second time: 410 invitation_invalid", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const { token } = await invite(shop, email);
    expect((await acceptInvitation({ token, name: "员工", password: "staff-password-1" })).status).toBe(200);
    await problemOf(
      await acceptInvitation({ token, name: "又一个", password: "other-password-2" }),
      410,
      "invitation_invalid",
    );
    await problemOf(await call(`/api/invitations/${token}`), 410, "invitation_invalid");
    expect(await countRows("SELECT COUNT(*) AS n FROM users WHERE email = ?", email)).toBe(1);
  });

  it("a withdrawn invitation cannot be previewed or accepted: 410 invitation_invalid", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const invitation = await invite(shop, email);
    expect((await call(`/api/merchant/invitations/${invitation.id}`, { method: "DELETE", session: shop })).status).toBe(
      200,
    );
    await problemOf(await call(`/api/invitations/${invitation.token}`), 410, "invitation_invalid");
    await problemOf(
      await acceptInvitation({ token: invitation.token, name: "员工", password: "staff-password-1" }),
      410,
      "invitation_invalid",
    );
    expect(await countRows("SELECT COUNT(*) AS n FROM users WHERE email = ?", email)).toBe(0);
  });

  it("an invitation past its 7 days cannot be accepted and shows as expired to the owner", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const invitation = await invite(shop, email);
    await env.DB.prepare("UPDATE invitations SET expires_at_ms = ? WHERE id = ?")
      .bind(Date.now() - 1000, invitation.id)
      .run();
    await problemOf(
      await acceptInvitation({ token: invitation.token, name: "员工", password: "staff-password-1" }),
      410,
      "invitation_invalid",
    );
    const list = await call("/api/merchant/invitations", { session: shop });
    expect((await list.json<{ items: { id: string; status: string }[] }>()).items).toEqual([
      expect.objectContaining({ id: invitation.id, status: "expired" }),
    ]);
  });

  it("a token nobody issued is 410 invitation_invalid", async () => {
    const token = randomToken(32);
    await problemOf(await call(`/api/invitations/${token}`), 410, "invitation_invalid");
    await problemOf(
      await acceptInvitation({ token, name: "员工", password: "staff-password-1" }),
      410,
      "invitation_invalid",
    );
  });

  it("a token of the wrong shape is 400 validation_failed", async () => {
    await problemOf(await call("/api/invitations/short"), 400, "validation_failed");
    const problem = await problemOf(
      await acceptInvitation({ token: "short", name: "员工", password: "staff-password-1" }),
      400,
      "validation_failed",
    );
    expect(issuePaths(problem)).toEqual(["token"]);
  });

  it("withdrawing an invitation twice, or one already accepted, is 404 not_found", async () => {
    const shop = await openShop();
    const first = await invite(shop, `${unique("staff")}@example.com`);
    expect((await call(`/api/merchant/invitations/${first.id}`, { method: "DELETE", session: shop })).status).toBe(200);
    await problemOf(
      await call(`/api/merchant/invitations/${first.id}`, { method: "DELETE", session: shop }),
      404,
      "not_found",
    );

    const second = await invite(shop, `${unique("staff")}@example.com`);
    expect((await acceptInvitation({ token: second.token, name: "员工", password: "staff-password-1" })).status).toBe(
      200,
    );
    await problemOf(
      await call(`/api/merchant/invitations/${second.id}`, { method: "DELETE", session: shop }),
      404,
      "not_found",
    );
  });
});

describe("who cannot be invited", () => {
  it("the owner's own email is 409 already_member and nothing is mailed", async () => {
    const shop = await openShop();
    await problemOf(
      await call("/api/merchant/invitations", { session: shop, body: { email: shop.email } }),
      409,
      "already_member",
    );
    expect(await countRows("SELECT COUNT(*) AS n FROM dev_outbox WHERE recipient = ?", shop.email)).toBe(0);
  });

  it("a staff member who already joined is 409 already_member, in any letter case", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const { token } = await invite(shop, email);
    expect((await acceptInvitation({ token, name: "员工", password: "staff-password-1" })).status).toBe(200);
    await problemOf(await call("/api/merchant/invitations", { session: shop, body: { email } }), 409, "already_member");
    await problemOf(
      await call("/api/merchant/invitations", { session: shop, body: { email: email.toUpperCase() } }),
      409,
      "already_member",
    );
  });

  it("a second open invitation to someone who joined through the first is 409 already_member on accept", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const first = await invite(shop, email);
    const second = await invite(shop, email);
    expect((await acceptInvitation({ token: first.token, name: "员工", password: "staff-password-1" })).status).toBe(
      200,
    );
    await problemOf(
      await acceptInvitation({ token: second.token, password: "staff-password-1" }),
      409,
      "already_member",
    );
    expect(await membershipsOf(email, shop.merchantId)).toBe(1);
  });

  it("an email that is not an email is 400 validation_failed naming email", async () => {
    const shop = await openShop();
    const problem = await problemOf(
      await call("/api/merchant/invitations", { session: shop, body: { email: "not-an-email" } }),
      400,
      "validation_failed",
    );
    expect(issuePaths(problem)).toEqual(["email"]);
  });
});

describe("accepting with an account that already exists", () => {
  it("a wrong password is 401 invalid_credentials, adds nobody, and leaves the invitation open", async () => {
    const shop = await openShop();
    const supplier = await applyAsSupplier();
    const { token } = await invite(shop, supplier.email);
    await problemOf(await acceptInvitation({ token, password: "not-the-password" }), 401, "invalid_credentials");
    expect(await membershipsOf(supplier.email, shop.merchantId)).toBe(0);
    expect((await call(`/api/invitations/${token}`)).status).toBe(200);
    expect((await acceptInvitation({ token, password: PASSWORD })).status).toBe(200);
  });

  it("giving a new name and password does not replace the existing account's password", async () => {
    const shop = await openShop();
    const supplier = await applyAsSupplier();
    const { token } = await invite(shop, supplier.email);
    await problemOf(
      await acceptInvitation({ token, name: "冒名者", password: "attacker-password-1" }),
      401,
      "invalid_credentials",
    );
    const user = await env.DB.prepare("SELECT name FROM users WHERE email = ?")
      .bind(supplier.email)
      .first<{ name: string }>();
    expect(user?.name).toBe("联系人");
  });
});

describe("accepting with a new account", () => {
  it("without a name is 400 validation_failed and the invitation stays open", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const { token } = await invite(shop, email);
    await problemOf(await acceptInvitation({ token, password: "staff-password-1" }), 400, "validation_failed");
    expect(await countRows("SELECT COUNT(*) AS n FROM users WHERE email = ?", email)).toBe(0);
    expect((await acceptInvitation({ token, name: "员工", password: "staff-password-1" })).status).toBe(200);
  });

  it("with a password under 10 characters is 400 validation_failed", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const { token } = await invite(shop, email);
    await problemOf(await acceptInvitation({ token, name: "员工", password: "short" }), 400, "validation_failed");
    expect(await countRows("SELECT COUNT(*) AS n FROM users WHERE email = ?", email)).toBe(0);
  });

  it("a body with a field the API does not know is 400 validation_failed", async () => {
    const shop = await openShop();
    const { token } = await invite(shop, `${unique("staff")}@example.com`);
    const res = await call("/api/invitations/accept", {
      body: { token, name: "员工", password: "staff-password-1", role: "owner" },
    });
    const problem = await problemOf(res, 400, "validation_failed");
    expect(problem.issues).toEqual([expect.objectContaining({ code: "unrecognized_keys" })]);
  });

  it("a double-click on accept creates one account and one membership; the other click gets 410", async () => {
    const shop = await openShop();
    const email = `${unique("staff")}@example.com`;
    const { token } = await invite(shop, email);
    const [a, b] = await Promise.all([
      acceptInvitation({ token, name: "员工", password: "staff-password-1" }),
      acceptInvitation({ token, name: "员工", password: "staff-password-1" }),
    ]);
    expect([a.status, b.status].sort(), `${await a.clone().text()} | ${await b.clone().text()}`).toEqual([200, 410]);
    await problemOf(a.status === 410 ? a : b, 410, "invitation_invalid");
    expect(await countRows("SELECT COUNT(*) AS n FROM users WHERE email = ?", email)).toBe(1);
    expect(await membershipsOf(email, shop.merchantId)).toBe(1);
  });
});
