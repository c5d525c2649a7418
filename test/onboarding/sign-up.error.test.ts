import { describe, expect, it } from "vitest";
import { unique } from "../helpers";
import {
  applyAsSupplier,
  callFrom,
  countRows,
  freshIp,
  merchantSignUpBody,
  openShop,
  supplierApplyBody,
} from "../support/identity";
import { issuePaths, problemOf } from "../support/identity-problems";

function signUp(body: unknown, headers: Record<string, string> = {}, ip = freshIp()): Promise<Response> {
  return callFrom(ip, "/api/onboarding/merchants", { body, headers });
}

const nothingCreatedFor = async (email: string) =>
  expect(await countRows("SELECT COUNT(*) AS n FROM users WHERE email = ?", email)).toBe(0);

describe("shop addresses that cannot be taken", () => {
  it.each(["www", "api", "admin", "console"])(
    "%s is reserved for the platform: 400 validation_failed with an issue on slug",
    async (slug) => {
      const email = `${unique("reserved")}@example.com`;
      const problem = await problemOf(await signUp(merchantSignUpBody(slug, email)), 400, "validation_failed");
      expect(problem.issues).toEqual([expect.objectContaining({ path: "slug", code: "slug_reserved" })]);
      await nothingCreatedFor(email);
    },
  );

  it.each(["WWW", "Admin"])("%s in capitals is the reserved name too", async (slug) => {
    const email = `${unique("reserved")}@example.com`;
    const problem = await problemOf(await signUp(merchantSignUpBody(slug, email)), 400, "validation_failed");
    expect(issuePaths(problem)).toEqual(["slug"]);
    await nothingCreatedFor(email);
  });

  it.each([
    ["-abc", "starts with a hyphen"],
    ["abc-", "ends with a hyphen"],
    ["a_b", "has an underscore"],
    ["a--b", "has a double hyphen"],
    ["x".repeat(40), "is 40 characters long"],
    ["a", "is one character"],
  ])("%s (%s) is refused: 400 validation_failed with an issue on slug", async (slug) => {
    const email = `${unique("format")}@example.com`;
    const problem = await problemOf(await signUp(merchantSignUpBody(slug, email)), 400, "validation_failed");
    expect(issuePaths(problem)).toEqual(["slug"]);
    await nothingCreatedFor(email);
  });

  it("an address another shop uses is 409 slug_taken and the second owner's email stays free", async () => {
    const shop = await openShop();
    const email = `${unique("late")}@example.com`;
    await problemOf(await signUp(merchantSignUpBody(shop.slug, email)), 409, "slug_taken");
    await nothingCreatedFor(email);
    // The same person can pick another address with the same email.
    const res = await signUp(merchantSignUpBody(unique("other"), email));
    expect(res.status, await res.clone().text()).toBe(201);
  });

  it("an address that differs only in capitals from a used one is 409 slug_taken", async () => {
    const shop = await openShop();
    await problemOf(
      await signUp(merchantSignUpBody(shop.slug.toUpperCase(), `${unique("caps")}@example.com`)),
      409,
      "slug_taken",
    );
  });
});

describe("emails that already have an account", () => {
  it("a merchant's email is 409 email_taken for a new shop and no shop is created", async () => {
    const shop = await openShop();
    const slug = unique("second");
    await problemOf(await signUp(merchantSignUpBody(slug, shop.email)), 409, "email_taken");
    expect(await countRows("SELECT COUNT(*) AS n FROM merchants WHERE slug = ?", slug)).toBe(0);
  });

  it("the same email in capitals is 409 email_taken too", async () => {
    const shop = await openShop();
    await problemOf(await signUp(merchantSignUpBody(unique("second"), shop.email.toUpperCase())), 409, "email_taken");
  });

  it("a supplier's email cannot open a shop, and a merchant's email cannot apply as a supplier", async () => {
    const supplier = await applyAsSupplier();
    await problemOf(await signUp(merchantSignUpBody(unique("x"), supplier.email)), 409, "email_taken");
    const shop = await openShop();
    const res = await callFrom(freshIp(), "/api/onboarding/suppliers", {
      body: supplierApplyBody(unique("sup"), shop.email),
    });
    await problemOf(res, 409, "email_taken");
  });
});

describe("strict request bodies", () => {
  it("a sign-up with a field the API does not know is 400 validation_failed and creates nothing", async () => {
    const slug = unique("strict");
    const body = { ...merchantSignUpBody(slug), role: "admin" };
    const problem = await problemOf(await signUp(body), 400, "validation_failed");
    expect(problem.issues).toEqual([expect.objectContaining({ code: "unrecognized_keys" })]);
    expect(await countRows("SELECT COUNT(*) AS n FROM merchants WHERE slug = ?", slug)).toBe(0);
  });

  it("a supplier application with a field the API does not know is 400 validation_failed", async () => {
    const body = { ...supplierApplyBody(unique("sup")), status: "approved" };
    const res = await callFrom(freshIp(), "/api/onboarding/suppliers", { body });
    const problem = await problemOf(res, 400, "validation_failed");
    expect(problem.issues).toEqual([expect.objectContaining({ code: "unrecognized_keys" })]);
    await nothingCreatedFor(body.email);
  });

  it("a password under 10 characters is 400 validation_failed naming the password", async () => {
    const body = { ...merchantSignUpBody(unique("pw")), password: "short" };
    const problem = await problemOf(await signUp(body), 400, "validation_failed");
    expect(issuePaths(problem)).toEqual(["password"]);
    await nothingCreatedFor(body.email);
  });

  it("a missing shop name is 400 validation_failed naming shopName", async () => {
    const { shopName: _omit, ...body } = merchantSignUpBody(unique("noname"));
    const problem = await problemOf(await signUp(body), 400, "validation_failed");
    expect(issuePaths(problem)).toEqual(["shopName"]);
  });

  it("a body that is not JSON is 400 malformed_json", async () => {
    await problemOf(await signUp("{not json"), 400, "malformed_json");
  });

  it("a supplier contact phone that is not a mobile number is 400 validation_failed naming contactPhone", async () => {
    const body = { ...supplierApplyBody(unique("sup")), contactPhone: "12345" };
    const problem = await problemOf(
      await callFrom(freshIp(), "/api/onboarding/suppliers", { body }),
      400,
      "validation_failed",
    );
    expect(issuePaths(problem)).toEqual(["contactPhone"]);
  });
});

describe("slug-availability refusals", () => {
  it("a request without a slug is 400 validation_failed", async () => {
    const problem = await problemOf(
      await callFrom(freshIp(), "/api/onboarding/slug-availability"),
      400,
      "validation_failed",
    );
    expect(issuePaths(problem)).toEqual(["slug"]);
  });
});

describe("Idempotency-Key misuse", () => {
  it("the same key with a different body is 422 idempotency_key_reused and opens no second shop", async () => {
    const ip = freshIp();
    const key = unique("key-");
    const first = await signUp(merchantSignUpBody(unique("idem")), { "idempotency-key": key }, ip);
    expect(first.status).toBe(201);
    const otherSlug = unique("idem");
    const res = await signUp(merchantSignUpBody(otherSlug), { "idempotency-key": key }, ip);
    await problemOf(res, 422, "idempotency_key_reused");
    expect(await countRows("SELECT COUNT(*) AS n FROM merchants WHERE slug = ?", otherSlug)).toBe(0);
  });

  it("a key with spaces or over 255 characters is 400 idempotency_key_invalid", async () => {
    for (const key of ["has space", "k".repeat(256)]) {
      const slug = unique("badkey");
      await problemOf(
        await signUp(merchantSignUpBody(slug), { "idempotency-key": key }),
        400,
        "idempotency_key_invalid",
      );
      expect(await countRows("SELECT COUNT(*) AS n FROM merchants WHERE slug = ?", slug)).toBe(0);
    }
  });

  it("a refused sign-up is replayed as the same refusal, not re-run", async () => {
    const ip = freshIp();
    const shop = await openShop();
    const key = unique("key-");
    const body = merchantSignUpBody(shop.slug, `${unique("late")}@example.com`);
    const first = await signUp(body, { "idempotency-key": key }, ip);
    const firstBody = await first.clone().text();
    await problemOf(first, 409, "slug_taken");
    const again = await signUp(body, { "idempotency-key": key }, ip);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.status).toBe(409);
    // A replay is the stored response, so its body keeps the first request's requestId.
    expect(await again.text()).toBe(firstBody);
  });
});

describe("races", () => {
  it("two people who submit the same address at the same moment: one gets the shop, the other 409 slug_taken", async () => {
    const slug = unique("race");
    const [a, b] = await Promise.all([
      signUp(merchantSignUpBody(slug, `${unique("a")}@example.com`)),
      signUp(merchantSignUpBody(slug, `${unique("b")}@example.com`)),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses, `${await a.clone().text()} | ${await b.clone().text()}`).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    await problemOf(loser, 409, "slug_taken");
    expect(await countRows("SELECT COUNT(*) AS n FROM merchants WHERE slug = ?", slug)).toBe(1);
  });

  it("one email submitted twice at the same moment for two shops: one shop, the other 409 email_taken", async () => {
    const email = `${unique("twice")}@example.com`;
    const [a, b] = await Promise.all([
      signUp(merchantSignUpBody(unique("r1"), email)),
      signUp(merchantSignUpBody(unique("r2"), email)),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses, `${await a.clone().text()} | ${await b.clone().text()}`).toEqual([201, 409]);
    await problemOf(a.status === 409 ? a : b, 409, "email_taken");
    expect(await countRows("SELECT COUNT(*) AS n FROM users WHERE email = ?", email)).toBe(1);
  });

  it("a double-click with one Idempotency-Key opens one shop", async () => {
    const ip = freshIp();
    const key = unique("key-");
    const body = merchantSignUpBody(unique("dbl"));
    const [a, b] = await Promise.all([
      signUp(body, { "idempotency-key": key }, ip),
      signUp(body, { "idempotency-key": key }, ip),
    ]);
    const statuses = [a.status, b.status];
    expect(statuses).toContain(201);
    for (const res of [a, b]) {
      if (res.status === 409) await problemOf(res, 409, "idempotency_in_progress");
      else expect(res.status).toBe(201);
    }
    expect(await countRows("SELECT COUNT(*) AS n FROM merchants WHERE slug = ?", body.slug)).toBe(1);
  });
});
