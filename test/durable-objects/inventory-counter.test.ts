import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { unique } from "../helpers";

const MINUTE = 60_000;

function counter() {
  return env.INVENTORY.getByName(unique("sku_test"));
}

type Counter = ReturnType<typeof counter>;

async function stocked(onHand: number): Promise<Counter> {
  const stub = counter();
  expect(await stub.setStock("init", onHand, 1)).toMatchObject({ ok: true, onHand, available: onHand });
  return stub;
}

async function holdStates(stub: Counter): Promise<Record<string, string>> {
  return runInDurableObject(stub, (_instance, state) =>
    Object.fromEntries(
      state.storage.sql
        .exec<{ hold_id: string; state: string }>("SELECT hold_id, state FROM holds")
        .toArray()
        .map((r) => [r.hold_id, r.state]),
    ),
  );
}

async function alarmAt(stub: Counter): Promise<number | null> {
  return runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
}

/** Moves a hold's expiry into the past without going through a method, so only the alarm can notice it. */
async function backdate(stub: Counter, holdId: string): Promise<void> {
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec("UPDATE holds SET expires_at_ms = ? WHERE hold_id = ?", Date.now() - 1_000, holdId);
  });
}

describe("before any stock is known", () => {
  it("holds and restocks answer not_initialised and change nothing", async () => {
    const stub = counter();
    expect(await stub.hold("h1", 1, MINUTE)).toEqual({ ok: false, reason: "not_initialised" });
    expect(await stub.restock("r1", 3)).toEqual({ ok: false, reason: "not_initialised" });
    expect(await stub.snapshot()).toMatchObject({ initialised: false, onHand: 0, held: 0, activeHolds: 0 });
  });
});

describe("setStock", () => {
  it("the same operation twice is one effect and the same answer", async () => {
    const stub = await stocked(10);
    const first = await stub.setStock("evt_a", 7, 100);
    await stub.restock("r1", 2);
    expect(await stub.setStock("evt_a", 7, 100)).toEqual(first);
    expect(await stub.snapshot()).toMatchObject({ onHand: 9, stockAsOfMs: 100 });
  });

  it("an older count than the one applied is stale and ignored", async () => {
    const stub = await stocked(10);
    expect(await stub.setStock("evt_new", 20, 200)).toMatchObject({ ok: true, onHand: 20 });
    expect(await stub.setStock("evt_old", 5, 150)).toMatchObject({ ok: false, reason: "stale", onHand: 20 });
    expect(await stub.snapshot()).toMatchObject({ onHand: 20, stockAsOfMs: 200 });
  });

  it("sales confirmed after the supplier counted are taken off the new count", async () => {
    const stub = await stocked(10);
    await stub.hold("h1", 3, MINUTE);
    await stub.confirm("h1");
    const countedBefore = Date.now() - 10_000;
    expect(await stub.setStock("evt_count", 50, countedBefore)).toMatchObject({ ok: true, onHand: 47 });
  });
});

describe("hold", () => {
  it("reserves units, and a retry with the same id reserves nothing more", async () => {
    const stub = await stocked(5);
    const first = await stub.hold("h1", 2, MINUTE);
    expect(first).toMatchObject({ ok: true, qty: 2, state: "active", onHand: 5, held: 2, available: 3 });
    const again = await stub.hold("h1", 2, MINUTE);
    expect(again).toMatchObject({ ok: true, state: "active", held: 2, available: 3 });
    if (!first.ok || !again.ok) throw new Error("expected holds");
    expect(again.expiresAtMs).toBe(first.expiresAtMs);
  });

  it("is refused when fewer units are available, saying how many are", async () => {
    const stub = await stocked(3);
    await stub.hold("h1", 2, MINUTE);
    expect(await stub.hold("h2", 2, MINUTE)).toEqual({ ok: false, reason: "insufficient", available: 1 });
    expect(await stub.snapshot()).toMatchObject({ held: 2, available: 1, activeHolds: 1 });
  });

  it("the same id with another quantity is a mismatch, not a second hold", async () => {
    const stub = await stocked(5);
    await stub.hold("h1", 2, MINUTE);
    expect(await stub.hold("h1", 3, MINUTE)).toEqual({ ok: false, reason: "hold_mismatch" });
    expect(await stub.snapshot()).toMatchObject({ held: 2 });
  });

  it("20 shoppers racing for the last 5 units: exactly 5 get one", async () => {
    const stub = await stocked(5);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => stub.hold(`race${i}`, 1, MINUTE)));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => !r.ok && r.reason === "insufficient")).toHaveLength(15);
    expect(await stub.snapshot()).toMatchObject({ onHand: 5, held: 5, available: 0, activeHolds: 5 });
  });

  it("a closed hold id cannot reserve again", async () => {
    const stub = await stocked(5);
    await stub.hold("h1", 1, MINUTE);
    await stub.release("h1");
    expect(await stub.hold("h1", 1, MINUTE)).toEqual({ ok: false, reason: "expired" });
    expect(await stub.snapshot()).toMatchObject({ held: 0 });
  });
});

describe("confirm", () => {
  it("takes the units out of on-hand once, however often it is called", async () => {
    const stub = await stocked(5);
    await stub.hold("h1", 2, MINUTE);
    const first = await stub.confirm("h1");
    expect(first).toMatchObject({ ok: true, qty: 2, onHand: 3, held: 0, available: 3 });
    expect(await stub.confirm("h1")).toEqual(first);
    expect(await stub.snapshot()).toMatchObject({ onHand: 3, held: 0, activeHolds: 0 });
  });

  it("an expired or released hold cannot be confirmed", async () => {
    const stub = await stocked(5);
    await stub.hold("gone", 1, MINUTE, Date.now() - 2 * MINUTE);
    await stub.hold("dropped", 1, MINUTE);
    await stub.release("dropped");
    expect(await stub.confirm("gone")).toEqual({ ok: false, reason: "expired" });
    expect(await stub.confirm("dropped")).toEqual({ ok: false, reason: "expired" });
    expect(await stub.confirm("never")).toEqual({ ok: false, reason: "unknown_hold" });
    expect(await stub.snapshot()).toMatchObject({ onHand: 5, available: 5 });
  });
});

describe("release", () => {
  it("gives the units back once; a second release is a no-op", async () => {
    const stub = await stocked(5);
    await stub.hold("h1", 4, MINUTE);
    expect(await stub.release("h1")).toMatchObject({ ok: true, state: "released", available: 5 });
    await stub.hold("h2", 1, MINUTE);
    expect(await stub.release("h1")).toMatchObject({ ok: true, state: "released", held: 1, available: 4 });
  });

  it("a confirmed hold is not released (its units are sold: restock them instead)", async () => {
    const stub = await stocked(5);
    await stub.hold("h1", 1, MINUTE);
    await stub.confirm("h1");
    expect(await stub.release("h1")).toEqual({ ok: false, reason: "confirmed" });
    expect(await stub.snapshot()).toMatchObject({ onHand: 4 });
  });

  it("releasing before the hold arrives leaves a tombstone: the late hold reserves nothing", async () => {
    const stub = await stocked(5);
    expect(await stub.release("late")).toMatchObject({ ok: true, available: 5 });
    expect(await stub.hold("late", 2, MINUTE)).toEqual({ ok: false, reason: "expired" });
    expect(await stub.snapshot()).toMatchObject({ held: 0 });
  });
});

describe("restock", () => {
  it("adds units once per operation id", async () => {
    const stub = await stocked(5);
    const first = await stub.restock("ret_1", 2);
    expect(first).toMatchObject({ ok: true, onHand: 7 });
    expect(await stub.restock("ret_1", 2)).toEqual(first);
    expect(await stub.restock("ret_2", 1)).toMatchObject({ ok: true, onHand: 8 });
  });
});

describe("the alarm", () => {
  it("is set to the earliest expiry among active holds", async () => {
    const stub = await stocked(5);
    const late = await stub.hold("late", 1, 10 * MINUTE);
    const early = await stub.hold("early", 1, 2 * MINUTE);
    if (!late.ok || !early.ok) throw new Error("expected holds");
    expect(await alarmAt(stub)).toBe(early.expiresAtMs);
  });

  it("releases expired holds and re-arms for the next one", async () => {
    const stub = await stocked(5);
    await stub.hold("first", 2, 2 * MINUTE);
    const next = await stub.hold("second", 1, 10 * MINUTE);
    if (!next.ok) throw new Error("expected a hold");
    await backdate(stub, "first");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await holdStates(stub)).toEqual({ first: "expired", second: "active" });
    expect(await alarmAt(stub)).toBe(next.expiresAtMs);
    expect(await stub.snapshot()).toMatchObject({ held: 1, available: 4, activeHolds: 1 });
  });

  it("running twice has no second effect", async () => {
    const stub = await stocked(5);
    await stub.hold("a", 2, 2 * MINUTE);
    await stub.hold("b", 1, 10 * MINUTE);
    await stub.confirm("b");
    await backdate(stub, "a");
    await runInDurableObject(stub, (instance) => instance.alarm());
    const after = await stub.snapshot();
    await runInDurableObject(stub, (instance) => instance.alarm());
    expect(await stub.snapshot()).toEqual(after);
    expect(after).toMatchObject({ onHand: 4, held: 0, available: 4, activeHolds: 0 });
    expect(await holdStates(stub)).toEqual({ a: "expired", b: "confirmed" });
  });

  it("after the last hold closes it waits only to prune the records", async () => {
    const stub = await stocked(5);
    await stub.hold("a", 1, 2 * MINUTE);
    await stub.release("a");
    const at = await alarmAt(stub);
    expect(at).not.toBeNull();
    expect(at ?? 0).toBeGreaterThan(Date.now() + 6 * 24 * 3_600_000);
  });
});
