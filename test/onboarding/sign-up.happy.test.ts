import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, PASSWORD, unique } from "../helpers";
import {
  applyAsSupplier,
  callFrom,
  countRows,
  freshIp,
  merchantSignUpBody,
  openShop,
  setCookie,
  signIn,
  supplierApplyBody,
} from "../support/identity";

interface Onboarded {
  user: { id: string; email: string; name: string };
  memberships: { orgType: string; orgId: string; role: string; orgStatus: string; orgSlug: string | null }[];
  csrfToken: string;
  org: { orgType: string; orgId: string; status: string; slug: string | null };
}

describe("POST /api/onboarding/merchants — open a shop", () => {
  it("answers 201 with the owner signed in as owner of the new, active shop", async () => {
    const slug = unique("tea");
    const res = await callFrom(freshIp(), "/api/onboarding/merchants", { body: merchantSignUpBody(slug) });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = await res.json<Onboarded>();
    expect(body.org).toEqual({ orgType: "merchant", orgId: expect.stringMatching(/^mer_/), status: "active", slug });
    expect(body.user).toEqual({ id: expect.stringMatching(/^usr_/), email: `${slug}@example.com`, name: "店主" });
    expect(body.memberships).toEqual([
      expect.objectContaining({ orgType: "merchant", orgId: body.org.orgId, role: "owner", orgSlug: slug }),
    ]);
    expect(setCookie(res, "ec_session").attributes.has("httponly")).toBe(true);
    expect(setCookie(res, "ec_csrf").value).toBe(body.csrfToken);
  });

  it("the new owner can read the shop's profile straight away", async () => {
    const shop = await openShop();
    const res = await call("/api/merchant/profile", { session: shop });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: shop.merchantId,
      slug: shop.slug,
      name: `店铺 ${shop.slug}`,
      themeColor: "#e4393c",
      status: "active",
      createdAtMs: expect.any(Number),
    });
  });

  it("the owner can later sign in with the password chosen at sign-up", async () => {
    const shop = await openShop();
    const res = await signIn(freshIp(), shop.email, PASSWORD);
    expect(res.status).toBe(200);
    expect((await res.json<Onboarded>()).user.id).toBe(shop.userId);
  });

  it("a shop address typed in capitals is stored in lowercase", async () => {
    const slug = unique("Tea-House");
    const res = await callFrom(freshIp(), "/api/onboarding/merchants", {
      body: merchantSignUpBody(slug, `${unique("caps")}@example.com`),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = await res.json<Onboarded>();
    expect(body.org.slug).toBe(slug.toLowerCase());
    const row = await env.DB.prepare("SELECT slug FROM merchants WHERE id = ?")
      .bind(body.org.orgId)
      .first<{ slug: string }>();
    expect(row?.slug).toBe(slug.toLowerCase());
  });

  it("an email typed in capitals is stored in lowercase and signs in in any case", async () => {
    const slug = unique("mail");
    const email = `${unique("Owner.Name")}@Example.COM`;
    const res = await callFrom(freshIp(), "/api/onboarding/merchants", { body: merchantSignUpBody(slug, email) });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await res.json<Onboarded>()).user.email).toBe(email.toLowerCase());
    expect((await signIn(freshIp(), email.toLowerCase())).status).toBe(200);
  });

  it("records a merchant.registered event in the outbox, in the same write as the shop", async () => {
    const shop = await openShop();
    const row = await env.DB.prepare(
      "SELECT payload FROM outbox WHERE type = 'merchant.registered' AND payload LIKE ? LIMIT 1",
    )
      .bind(`%${shop.merchantId}%`)
      .first<{ payload: string }>();
    expect(row).not.toBeNull();
    expect(JSON.parse(row?.payload ?? "{}")).toMatchObject({ merchantId: shop.merchantId, slug: shop.slug });
  });
});

describe("GET /api/onboarding/slug-availability", () => {
  interface Availability {
    slug: string;
    available: boolean;
    reason: string | null;
    shopUrl: string;
  }
  const check = async (slug: string) => {
    const res = await call(`/api/onboarding/slug-availability?slug=${encodeURIComponent(slug)}`);
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json<Availability>();
  };

  it("a free address is available and comes with the shop's URL", async () => {
    const slug = unique("free");
    expect(await check(slug)).toEqual({ slug, available: true, reason: null, shopUrl: `http://${slug}.localhost/` });
  });

  it("an address a shop already uses is not available: taken", async () => {
    const shop = await openShop();
    expect(await check(shop.slug)).toEqual({
      slug: shop.slug,
      available: false,
      reason: "taken",
      shopUrl: `http://${shop.slug}.localhost/`,
    });
  });

  it("a taken address typed in capitals is still taken", async () => {
    const shop = await openShop();
    expect(await check(shop.slug.toUpperCase())).toMatchObject({ slug: shop.slug, available: false, reason: "taken" });
  });

  it.each(["www", "api", "admin", "console"])("the platform's own name %s is not available: reserved", async (slug) => {
    expect(await check(slug)).toEqual({
      slug,
      available: false,
      reason: "reserved",
      shopUrl: `http://${slug}.localhost/`,
    });
  });

  it.each(["-abc", "abc-", "a_b", "a--b", "tea house"])("%s is not available: format", async (slug) => {
    expect(await check(slug)).toMatchObject({ available: false, reason: "format" });
  });
});

describe("POST /api/onboarding/suppliers — apply as a supplier", () => {
  it("answers 201 with the applicant signed in and the application pending", async () => {
    const name = unique("sup");
    const res = await callFrom(freshIp(), "/api/onboarding/suppliers", { body: supplierApplyBody(name) });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = await res.json<Onboarded>();
    expect(body.org).toEqual({
      orgType: "supplier",
      orgId: expect.stringMatching(/^sup_/),
      status: "pending",
      slug: null,
    });
    expect(body.memberships).toEqual([
      expect.objectContaining({ orgType: "supplier", orgId: body.org.orgId, role: "owner", orgStatus: "pending" }),
    ]);
  });

  it("a pending supplier's profile says pending", async () => {
    const supplier = await applyAsSupplier();
    const res = await call("/api/supplier/profile", { session: supplier });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: supplier.supplierId,
      status: "pending",
      statusReason: null,
      contactPhone: "13900139000",
    });
  });

  it("a contact phone written as +86 138 0013 8000 is stored as its 11 digits", async () => {
    const name = unique("sup");
    const res = await callFrom(freshIp(), "/api/onboarding/suppliers", {
      body: { ...supplierApplyBody(name), contactPhone: "+86 138 0013 8000" },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const supplier = await res.json<Onboarded>();
    const row = await env.DB.prepare("SELECT contact_phone FROM suppliers WHERE id = ?")
      .bind(supplier.org.orgId)
      .first<{ contact_phone: string }>();
    expect(row?.contact_phone).toBe("13800138000");
  });
});

describe("Idempotency-Key on POST /api/onboarding/merchants", () => {
  it("a retry with the same key and body replays the first answer and opens only one shop", async () => {
    const ip = freshIp();
    const slug = unique("idem");
    const body = merchantSignUpBody(slug);
    const key = unique("key-");
    const first = await callFrom(ip, "/api/onboarding/merchants", { body, headers: { "idempotency-key": key } });
    expect(first.status, await first.clone().text()).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const firstText = await first.text();

    const retry = await callFrom(ip, "/api/onboarding/merchants", { body, headers: { "idempotency-key": key } });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(retry.headers.get("content-type")).toContain("application/json");
    expect(await retry.text()).toBe(firstText);

    expect(await countRows("SELECT COUNT(*) AS n FROM merchants WHERE slug = ?", slug)).toBe(1);
    expect(await countRows("SELECT COUNT(*) AS n FROM users WHERE email = ?", body.email)).toBe(1);
  });

  it("the key also makes a supplier application safe to retry", async () => {
    const ip = freshIp();
    const body = supplierApplyBody(unique("sup"));
    const key = unique("key-");
    const first = await callFrom(ip, "/api/onboarding/suppliers", { body, headers: { "idempotency-key": key } });
    expect(first.status).toBe(201);
    const retry = await callFrom(ip, "/api/onboarding/suppliers", { body, headers: { "idempotency-key": key } });
    expect(retry.status).toBe(201);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(await retry.json()).toEqual(await first.json());
    expect(await countRows("SELECT COUNT(*) AS n FROM users WHERE email = ?", body.email)).toBe(1);
  });
});
