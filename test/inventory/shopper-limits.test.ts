import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { holdAll, releaseAll, shopperLimits } from "../../worker/modules/inventory/service";
import { unique } from "../helpers";
import { skusWithStock, snapshotOf } from "./support";

const TTL = 15 * 60_000;

describe("hold limits per shopper", () => {
  it("come from the wrangler vars", () => {
    expect(shopperLimits(env)).toEqual({ maxUnits: 50, maxCheckouts: 3 });
    expect(shopperLimits({ ...env, MAX_HELD_UNITS_PER_SHOPPER: "oops", MAX_OPEN_CHECKOUTS_PER_SHOPPER: "2" })).toEqual({
      maxUnits: 50,
      maxCheckouts: 2,
    });
  });

  it("a shopper cannot hold more than the unit limit across checkouts, and nothing is held for the refused one", async () => {
    const [a = "", b = ""] = await skusWithStock(100, 100);
    const shopperId = unique("shp_");
    expect(await holdAll(env, unique("chk_"), [{ skuId: a, qty: 40 }], TTL, { shopperId })).toMatchObject({ ok: true });
    const refused = await holdAll(env, unique("chk_"), [{ skuId: b, qty: 11 }], TTL, { shopperId });
    expect(refused).toEqual({ ok: false, reason: "too_many_units", heldUnits: 40, maxUnits: 50 });
    expect(await snapshotOf(b)).toMatchObject({ held: 0 });
    expect(await holdAll(env, unique("chk_"), [{ skuId: b, qty: 10 }], TTL, { shopperId })).toMatchObject({ ok: true });
  });

  it("a shopper cannot have more open checkouts than the limit until one is released", async () => {
    const [a = ""] = await skusWithStock(100);
    const shopperId = unique("shp_");
    const groups = [unique("chk_"), unique("chk_"), unique("chk_")];
    for (const group of groups) {
      expect(await holdAll(env, group, [{ skuId: a, qty: 1 }], TTL, { shopperId })).toMatchObject({ ok: true });
    }
    const fourth = unique("chk_");
    expect(await holdAll(env, fourth, [{ skuId: a, qty: 1 }], TTL, { shopperId })).toEqual({
      ok: false,
      reason: "too_many_checkouts",
      openCheckouts: 3,
      maxCheckouts: 3,
    });
    await releaseAll(env, groups[0] ?? "", [a], { shopperId });
    expect(await holdAll(env, fourth, [{ skuId: a, qty: 1 }], TTL, { shopperId })).toMatchObject({ ok: true });
  });

  it("retrying the same checkout does not count it twice", async () => {
    const [a = ""] = await skusWithStock(100);
    const shopperId = unique("shp_");
    const group = unique("chk_");
    for (let i = 0; i < 4; i += 1) {
      expect(await holdAll(env, group, [{ skuId: a, qty: 30 }], TTL, { shopperId })).toMatchObject({ ok: true });
    }
    expect(await snapshotOf(a)).toMatchObject({ held: 30 });
  });

  it("a checkout refused for stock does not count against the shopper", async () => {
    const [scarce = "", plenty = ""] = await skusWithStock(1, 100);
    const shopperId = unique("shp_");
    expect(await holdAll(env, unique("chk_"), [{ skuId: scarce, qty: 45 }], TTL, { shopperId })).toMatchObject({
      ok: false,
      reason: "insufficient",
    });
    expect(await holdAll(env, unique("chk_"), [{ skuId: plenty, qty: 45 }], TTL, { shopperId })).toMatchObject({
      ok: true,
    });
  });

  it("expired checkouts stop counting", async () => {
    const [a = ""] = await skusWithStock(100);
    const shopperId = unique("shp_");
    const past = Date.now() - 60 * 60_000;
    for (let i = 0; i < 3; i += 1) {
      await holdAll(env, unique("chk_"), [{ skuId: a, qty: 10 }], TTL, { shopperId, nowMs: past });
    }
    expect(await holdAll(env, unique("chk_"), [{ skuId: a, qty: 50 }], TTL, { shopperId })).toMatchObject({ ok: true });
  });
});
