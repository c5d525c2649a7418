import { describe, expect, it } from "vitest";
import { call, PASSWORD, sessionFrom } from "../helpers";
import { applyAsSupplier, freshIp, openShop, setCookie, signIn } from "../support/identity";

interface StaffSessionView {
  user: { id: string; email: string; name: string };
  memberships: {
    orgType: string;
    orgId: string;
    role: string;
    orgName: string;
    orgStatus: string;
    orgSlug: string | null;
  }[];
  csrfToken: string;
  expiresAtMs: number;
}

describe("POST /api/auth/sign-in — staff sign-in", () => {
  it("sets an HttpOnly, SameSite=Lax ec_session cookie and a script-readable ec_csrf cookie", async () => {
    const shop = await openShop();
    const res = await signIn(freshIp(), shop.email);
    expect(res.status).toBe(200);

    const session = setCookie(res, "ec_session");
    expect(session.value.length).toBeGreaterThanOrEqual(32);
    expect(session.attributes.has("httponly")).toBe(true);
    expect(session.attributes.get("samesite")).toBe("Lax");
    expect(session.attributes.get("path")).toBe("/");

    const csrf = setCookie(res, "ec_csrf");
    expect(csrf.attributes.has("httponly")).toBe(false);
    expect(csrf.attributes.get("samesite")).toBe("Lax");
    const body = await res.json<StaffSessionView>();
    expect(body.csrfToken).toBe(csrf.value);
    expect(csrf.value).not.toBe(session.value);
  });

  it("keeps both cookies for the session's lifetime (7 days)", async () => {
    const shop = await openShop();
    const before = Date.now();
    const res = await signIn(freshIp(), shop.email);
    const body = await res.json<StaffSessionView>();
    const week = 168 * 3600;
    for (const name of ["ec_session", "ec_csrf"]) {
      const maxAge = Number(setCookie(res, name).attributes.get("max-age"));
      expect(maxAge).toBeGreaterThan(week - 60);
      expect(maxAge).toBeLessThanOrEqual(week);
    }
    expect(body.expiresAtMs).toBeGreaterThanOrEqual(before + week * 1000);
    expect(body.expiresAtMs).toBeLessThanOrEqual(Date.now() + week * 1000);
  });

  it("does not mark cookies Secure on localhost, so plain-HTTP development keeps its session", async () => {
    const shop = await openShop();
    const res = await signIn(freshIp(), shop.email);
    expect(res.status).toBe(200);
    expect(setCookie(res, "ec_session").attributes.has("secure")).toBe(false);
    expect(setCookie(res, "ec_csrf").attributes.has("secure")).toBe(false);
  });

  it("marks cookies Secure when the console is served from a public domain", async () => {
    const shop = await openShop();
    const res = await signIn(freshIp(), shop.email, PASSWORD, "shop.example.com");
    expect(res.status, await res.clone().text()).toBe(200);
    expect(setCookie(res, "ec_session").attributes.has("secure")).toBe(true);
    expect(setCookie(res, "ec_csrf").attributes.has("secure")).toBe(true);
  });

  it("accepts the email in any letter case", async () => {
    const shop = await openShop();
    const res = await signIn(freshIp(), shop.email.toUpperCase());
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json<StaffSessionView>()).user.id).toBe(shop.userId);
  });
});

describe("GET /api/auth/session — who is signed in", () => {
  it("shows a merchant owner their shop with role owner", async () => {
    const shop = await openShop();
    const session = sessionFrom(await signIn(freshIp(), shop.email));
    const res = await call("/api/auth/session", { session });
    expect(res.status).toBe(200);
    const body = await res.json<StaffSessionView>();
    expect(body.user).toEqual({ id: shop.userId, email: shop.email, name: "店主" });
    expect(body.memberships).toEqual([
      {
        orgType: "merchant",
        orgId: shop.merchantId,
        role: "owner",
        orgName: `店铺 ${shop.slug}`,
        orgStatus: "active",
        orgSlug: shop.slug,
      },
    ]);
    expect(body.csrfToken).toBe(session.csrf);
  });

  it("shows a supplier applicant their supplier as pending", async () => {
    const supplier = await applyAsSupplier();
    const res = await call("/api/auth/session", { session: supplier });
    expect(res.status).toBe(200);
    const body = await res.json<StaffSessionView>();
    expect(body.memberships).toHaveLength(1);
    expect(body.memberships[0]).toMatchObject({
      orgType: "supplier",
      orgId: supplier.supplierId,
      role: "owner",
      orgStatus: "pending",
      orgSlug: null,
    });
  });
});

describe("POST /api/auth/sign-out", () => {
  it("ends the session and tells the browser to drop both cookies", async () => {
    const shop = await openShop();
    const session = sessionFrom(await signIn(freshIp(), shop.email));
    const res = await call("/api/auth/sign-out", { method: "POST", session });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ signedOut: true });
    for (const name of ["ec_session", "ec_csrf"]) {
      const cookie = setCookie(res, name);
      expect(cookie.value).toBe("");
      expect(cookie.attributes.get("max-age")).toBe("0");
    }
    expect((await call("/api/auth/session", { session })).status).toBe(401);
  });

  it("signing out on one device leaves the user's other sessions signed in", async () => {
    const shop = await openShop();
    const laptop = sessionFrom(await signIn(freshIp(), shop.email));
    const phone = sessionFrom(await signIn(freshIp(), shop.email));
    expect((await call("/api/auth/sign-out", { method: "POST", session: laptop })).status).toBe(200);
    expect((await call("/api/auth/session", { session: laptop })).status).toBe(401);
    const still = await call("/api/auth/session", { session: phone });
    expect(still.status).toBe(200);
    expect((await still.json<StaffSessionView>()).user.id).toBe(shop.userId);
  });
});
