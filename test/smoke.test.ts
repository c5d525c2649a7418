import { describe, expect, it } from "vitest";
import { approvedSupplier, call, platformAdmin, shopperSignIn, signUpMerchant } from "./helpers";

describe("smoke", () => {
  it("runs the main identity flows", async () => {
    const m = await signUpMerchant();
    const profile = await call("/api/merchant/profile", { session: m });
    expect(profile.status).toBe(200);
    const admin = await platformAdmin();
    const s = await approvedSupplier(admin);
    const p = await call("/api/supplier/profile", { session: s });
    expect((await p.json<{ status: string }>()).status).toBe("approved");
    const shopper = await shopperSignIn(m.host);
    const me = await call("/api/shop/me", { host: m.host, session: shopper });
    expect(me.status).toBe(200);
  });
});
