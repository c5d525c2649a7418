import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../worker/errors";
import { addressSnapshot } from "../../worker/modules/addresses/service";
import { call, type MerchantTenant } from "../helpers";
import { type AddressView, addAddress, addressBody, addressBook, newShopper } from "../support/addresses";
import type { ShopperSession } from "../support/identity";
import { expectCode } from "../support/problems";
import { openShop } from "../support/tenants";

let shop: MerchantTenant;
let otherShop: MerchantTenant;
let alice: ShopperSession;
let bob: ShopperSession;
let alicesAddress: AddressView;

beforeAll(async () => {
  [shop, otherShop] = await Promise.all([openShop(), openShop()]);
  [alice, bob] = await Promise.all([newShopper(shop.host), newShopper(shop.host)]);
  alicesAddress = await addAddress(alice, shop.host);
});

describe("who may use an address book", () => {
  it("without signing in: 401 for list and add", async () => {
    await expectCode(await call("/api/shop/addresses", { host: shop.host }), 401, "unauthenticated");
    await expectCode(
      await call("/api/shop/addresses", { host: shop.host, body: addressBody() }),
      401,
      "unauthenticated",
    );
  });

  it("a shopper signed in on another shop must sign in on this one (401), and adds nothing", async () => {
    const visitor = await newShopper(otherShop.host);
    await expectCode(await call("/api/shop/addresses", { host: shop.host, session: visitor }), 401, "unauthenticated");
    await expectCode(
      await call("/api/shop/addresses", { host: shop.host, session: visitor, body: addressBody() }),
      401,
      "unauthenticated",
    );
    expect(await addressBook(visitor, otherShop.host)).toEqual([]);
  });

  it("merchant staff are not shoppers: 403", async () => {
    await expectCode(await call("/api/shop/addresses", { host: shop.host, session: shop }), 403, "forbidden");
  });

  it("a write without the CSRF token is 403 csrf_failed and changes nothing", async () => {
    await expectCode(
      await call("/api/shop/addresses", { host: shop.host, session: alice, noCsrf: true, body: addressBody() }),
      403,
      "csrf_failed",
    );
    await expectCode(
      await call(`/api/shop/addresses/${alicesAddress.id}`, {
        method: "DELETE",
        host: shop.host,
        session: alice,
        noCsrf: true,
      }),
      403,
      "csrf_failed",
    );
    expect((await addressBook(alice, shop.host)).map((a) => a.id)).toEqual([alicesAddress.id]);
  });
});

describe("shoppers stay apart", () => {
  it("another shopper does not see Alice's addresses", async () => {
    expect(await addressBook(bob, shop.host)).toEqual([]);
  });

  it("another shopper cannot edit, delete or make default Alice's address: 404, as if it did not exist", async () => {
    const path = `/api/shop/addresses/${alicesAddress.id}`;
    await expectCode(
      await call(path, { method: "PUT", host: shop.host, session: bob, body: addressBody({ detail: "被改了 1 号" }) }),
      404,
      "not_found",
    );
    await expectCode(await call(path, { method: "DELETE", host: shop.host, session: bob }), 404, "not_found");
    await expectCode(
      await call(`${path}/default`, { method: "POST", host: shop.host, session: bob }),
      404,
      "not_found",
    );
    expect(await addressBook(alice, shop.host)).toEqual([alicesAddress]);
  });

  it("making one's own address the default never touches another shopper's default", async () => {
    const bobs = await addAddress(bob, shop.host);
    const second = await addAddress(bob, shop.host);
    await call(`/api/shop/addresses/${second.id}/default`, { method: "POST", host: shop.host, session: bob });
    expect((await addressBook(alice, shop.host))[0]?.isDefault).toBe(true);
    expect(bobs.isDefault).toBe(true);
  });

  it("an order cannot snapshot another shopper's address", async () => {
    await expect(addressSnapshot(env.DB, bob.shopperId, alicesAddress.id)).rejects.toSatisfy(
      (error) => error instanceof AppError && error.code === "not_found",
    );
  });
});
