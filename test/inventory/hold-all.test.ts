import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { confirmAll, holdAll, mergeLines, releaseAll, restockSku } from "../../worker/modules/inventory/service";
import { unique } from "../helpers";
import { d1Stock, skusWithStock, snapshotOf } from "./support";

const TTL = 15 * 60_000;

describe("holdAll", () => {
  it("seeds never-used counters from D1 stock and holds every line", async () => {
    const [a = "", b = ""] = await skusWithStock(5, 8);
    const group = unique("chk_");
    const result = await holdAll(
      env,
      group,
      [
        { skuId: a, qty: 2 },
        { skuId: b, qty: 3 },
      ],
      TTL,
    );
    expect(result).toMatchObject({ ok: true, holdGroupId: group });
    expect(await snapshotOf(a)).toMatchObject({ initialised: true, onHand: 5, held: 2, available: 3 });
    expect(await snapshotOf(b)).toMatchObject({ initialised: true, onHand: 8, held: 3, available: 5 });
  });

  it("adds up lines naming the same SKU before holding", async () => {
    const [a = ""] = await skusWithStock(5);
    expect(
      mergeLines([
        { skuId: a, qty: 2 },
        { skuId: a, qty: 2 },
      ]),
    ).toEqual([{ skuId: a, qty: 4 }]);
    const result = await holdAll(
      env,
      unique("chk_"),
      [
        { skuId: a, qty: 2 },
        { skuId: a, qty: 2 },
      ],
      TTL,
    );
    expect(result).toMatchObject({ ok: true, lines: [{ skuId: a, qty: 4, available: 1 }] });
    expect(await snapshotOf(a)).toMatchObject({ held: 4, activeHolds: 1 });
  });

  it("duplicate lines that together exceed the stock are refused, though each alone would fit", async () => {
    const [a = ""] = await skusWithStock(3);
    const result = await holdAll(
      env,
      unique("chk_"),
      [
        { skuId: a, qty: 2 },
        { skuId: a, qty: 2 },
      ],
      TTL,
    );
    expect(result).toEqual({ ok: false, reason: "insufficient", skuId: a, available: 3 });
    expect(await snapshotOf(a)).toMatchObject({ held: 0 });
  });

  it("all or nothing: one short SKU releases the holds taken for the others", async () => {
    const [plenty = "", short = "", alsoPlenty = ""] = await skusWithStock(10, 1, 10);
    const group = unique("chk_");
    const result = await holdAll(
      env,
      group,
      [
        { skuId: plenty, qty: 2 },
        { skuId: short, qty: 2 },
        { skuId: alsoPlenty, qty: 2 },
      ],
      TTL,
    );
    expect(result).toEqual({ ok: false, reason: "insufficient", skuId: short, available: 1 });
    for (const skuId of [plenty, alsoPlenty]) {
      expect(await snapshotOf(skuId)).toMatchObject({ onHand: 10, held: 0, available: 10, activeHolds: 0 });
    }
    expect(await snapshotOf(short)).toMatchObject({ held: 0, available: 1 });
  });

  it("a retried checkout re-uses its holds instead of holding twice", async () => {
    const [a = ""] = await skusWithStock(5);
    const group = unique("chk_");
    const first = await holdAll(env, group, [{ skuId: a, qty: 3 }], TTL);
    const retry = await holdAll(env, group, [{ skuId: a, qty: 3 }], TTL);
    expect(first.ok && retry.ok).toBe(true);
    expect(await snapshotOf(a)).toMatchObject({ held: 3, available: 2, activeHolds: 1 });
  });

  it("an unknown SKU is refused and nothing stays held", async () => {
    const [a = ""] = await skusWithStock(5);
    const ghost = "sku_does_not_exist";
    const result = await holdAll(
      env,
      unique("chk_"),
      [
        { skuId: a, qty: 1 },
        { skuId: ghost, qty: 1 },
      ],
      TTL,
    );
    expect(result).toEqual({ ok: false, reason: "unknown_sku", skuId: ghost });
    expect(await snapshotOf(a)).toMatchObject({ held: 0 });
  });
});

describe("confirmAll", () => {
  it("takes the units out of on-hand and D1 shows the new figure", async () => {
    const [a = "", b = ""] = await skusWithStock(5, 4);
    const group = unique("chk_");
    await holdAll(
      env,
      group,
      [
        { skuId: a, qty: 2 },
        { skuId: b, qty: 1 },
      ],
      TTL,
    );
    const result = await confirmAll(env, group, [a, b]);
    expect(result).toEqual({
      ok: true,
      skus: [
        { skuId: a, onHand: 3, version: expect.any(Number) },
        { skuId: b, onHand: 3, version: expect.any(Number) },
      ],
    });
    expect(await confirmAll(env, group, [a, b])).toEqual(result);
    expect([await d1Stock(a), await d1Stock(b)]).toEqual([3, 3]);
    expect(await snapshotOf(a)).toMatchObject({ onHand: 3, held: 0 });
  });

  it("reports holds that expired before payment, and confirms the rest", async () => {
    const [a = "", b = ""] = await skusWithStock(5, 5);
    const group = unique("chk_");
    await holdAll(env, group, [{ skuId: a, qty: 1 }], TTL);
    // Same group, but b's hold was taken long enough ago to have run out.
    await holdAll(env, group, [{ skuId: b, qty: 1 }], 60_000, { nowMs: Date.now() - 120_000 });
    expect(await confirmAll(env, group, [a, b])).toEqual({
      ok: false,
      reason: "expired",
      skuIds: [b],
      confirmed: [a],
    });
    expect(await snapshotOf(b)).toMatchObject({ onHand: 5, held: 0 });
  });
});

describe("releaseAll and restock", () => {
  it("release gives the units back and is safe to repeat; the group cannot hold again", async () => {
    const [a = ""] = await skusWithStock(5);
    const group = unique("chk_");
    await holdAll(env, group, [{ skuId: a, qty: 5 }], TTL);
    expect(await releaseAll(env, group, [a])).toEqual({ released: [a], alreadyConfirmed: [] });
    expect(await releaseAll(env, group, [a])).toEqual({ released: [a], alreadyConfirmed: [] });
    expect(await snapshotOf(a)).toMatchObject({ held: 0, available: 5 });
    expect(await holdAll(env, group, [{ skuId: a, qty: 5 }], TTL)).toEqual({ ok: false, reason: "expired", skuId: a });
  });

  it("restock adds once per operation and D1 follows", async () => {
    const [a = ""] = await skusWithStock(5);
    const opId = unique("ret_");
    expect(await restockSku(env, opId, a, 2)).toEqual({ ok: true, onHand: 7, available: 7 });
    expect(await restockSku(env, opId, a, 2)).toEqual({ ok: true, onHand: 7, available: 7 });
    expect(await d1Stock(a)).toBe(7);
  });
});
