import { describe, expect, it } from "vitest";
import { safeNext, signInFor } from "../../site/src/lib/shop";

describe("coming back after signing in", () => {
  it("a signed-out shopper sent to sign in returns to the page they were on, query included", () => {
    const url = new URL("http://demo.localhost/checkout?sku=sku_1&qty=2");
    const target = signInFor(url);
    expect(target).toBe("/account/sign-in?next=%2Fcheckout%3Fsku%3Dsku_1%26qty%3D2");
    const next = new URL(target, url).searchParams.get("next");
    expect(safeNext(next)).toBe("/checkout?sku=sku_1&qty=2");
  });

  it.each(["//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "", null])(
    "never leaves the shop for %j",
    (raw) => {
      expect(safeNext(raw)).toBe("/account");
    },
  );
});
