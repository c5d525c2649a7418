import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RateRule } from "../../durable-objects/rate-limiter";
import { unique } from "../helpers";

interface WindowRow {
  rule: string;
  window_start: number;
  window_ms: number;
  count: number;
}

function limiter() {
  return env.RATE_LIMITER.getByName(unique("test:key:"));
}

async function windows(stub: ReturnType<typeof limiter>): Promise<WindowRow[]> {
  return runInDurableObject(stub, (_instance, state) =>
    state.storage.sql
      .exec<Record<string, number | string>>("SELECT * FROM windows ORDER BY rule")
      .toArray()
      .map((r) => ({
        rule: String(r.rule),
        window_start: Number(r.window_start),
        window_ms: Number(r.window_ms),
        count: Number(r.count),
      })),
  );
}

async function alarmAt(stub: ReturnType<typeof limiter>): Promise<number | null> {
  return runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
}

const HOUR: RateRule = { name: "1h", limit: 3, windowMs: 3_600_000 };

describe("consume", () => {
  it("allows `limit` hits, counting down what remains, then refuses with a retry time inside the window", async () => {
    const stub = limiter();
    const remaining: number[] = [];
    for (let i = 0; i < HOUR.limit; i += 1) {
      const decision = await stub.consume([HOUR]);
      expect(decision.ok).toBe(true);
      if (decision.ok) remaining.push(decision.remaining);
    }
    expect(remaining).toEqual([HOUR.limit - 1, HOUR.limit - 2, 0]);
    const refused = await stub.consume([HOUR]);
    expect(refused).toMatchObject({ ok: false, reason: "rate_limited", rule: "1h" });
    if (refused.ok) throw new Error("expected a refusal");
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(HOUR.windowMs);
  });

  it("a refused hit is not counted", async () => {
    const stub = limiter();
    for (let i = 0; i < HOUR.limit + 3; i += 1) await stub.consume([HOUR]);
    expect((await windows(stub)).map((w) => w.count)).toEqual([HOUR.limit]);
  });

  it("keys are independent: one key at its limit does not limit another", async () => {
    const busy = limiter();
    for (let i = 0; i < HOUR.limit; i += 1) await busy.consume([HOUR]);
    expect((await busy.consume([HOUR])).ok).toBe(false);
    expect((await limiter().consume([HOUR])).ok).toBe(true);
  });

  it("a new window starts a new count", async () => {
    const stub = limiter();
    const rule: RateRule = { name: "1m", limit: 1, windowMs: 60_000 };
    const start = Date.now() - (Date.now() % rule.windowMs);
    expect((await stub.consume([rule], start + 1)).ok).toBe(true);
    expect((await stub.consume([rule], start + 2)).ok).toBe(false);
    expect((await stub.consume([rule], start + rule.windowMs + 1)).ok).toBe(true);
  });

  it("retryAfterMs points at the end of the current window", async () => {
    const stub = limiter();
    const rule: RateRule = { name: "1m", limit: 1, windowMs: 60_000 };
    const start = Date.now() - (Date.now() % rule.windowMs);
    await stub.consume([rule], start + 10_000);
    const refused = await stub.consume([rule], start + 15_000);
    expect(refused.ok ? null : refused.retryAfterMs).toBe(rule.windowMs - 15_000);
  });
});

describe("several rules on one key", () => {
  const perMinute: RateRule = { name: "1m", limit: 1, windowMs: 60_000 };
  const perHour: RateRule = { name: "1h", limit: 5, windowMs: 3_600_000 };

  it("a hit refused by one rule is not counted against the other", async () => {
    const stub = limiter();
    expect((await stub.consume([perHour, perMinute])).ok).toBe(true);
    const refused = await stub.consume([perHour, perMinute]);
    expect(refused).toMatchObject({ ok: false, rule: "1m" });
    expect(await stub.consume([perHour, perMinute])).toMatchObject({ ok: false, rule: "1m" });
    const counts = Object.fromEntries((await windows(stub)).map((w) => [w.rule, w.count]));
    expect(counts).toEqual({ "1h": 1, "1m": 1 });
  });

  it("remaining is the smallest allowance left across the rules", async () => {
    const stub = limiter();
    const decision = await stub.consume([perHour, { name: "10m", limit: 3, windowMs: 600_000 }]);
    expect(decision).toEqual({ ok: true, remaining: 2 });
  });

  it("the rule whose limit is reached first is the one named in the refusal, whatever the order", async () => {
    const stub = limiter();
    const tight: RateRule = { name: "tight", limit: 2, windowMs: 3_600_000 };
    const loose: RateRule = { name: "loose", limit: 10, windowMs: 3_600_000 };
    await stub.consume([loose, tight]);
    await stub.consume([tight, loose]);
    expect(await stub.consume([loose, tight])).toMatchObject({ ok: false, rule: "tight" });
    expect(Object.fromEntries((await windows(stub)).map((w) => [w.rule, w.count]))).toEqual({ loose: 2, tight: 2 });
  });
});

describe("the alarm", () => {
  it("is set to the end of the latest window after a hit", async () => {
    const stub = limiter();
    const now = Date.now();
    await stub.consume([{ name: "1m", limit: 5, windowMs: 60_000 }, HOUR], now);
    expect(await alarmAt(stub)).toBe(now - (now % HOUR.windowMs) + HOUR.windowMs);
  });

  it("clears expired windows, keeps live ones, and re-arms for the live one", async () => {
    const stub = limiter();
    const now = Date.now();
    await stub.consume([HOUR], now);
    const liveEnd = now - (now % HOUR.windowMs) + HOUR.windowMs;
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec(
        "INSERT INTO windows (rule, window_start, window_ms, count) VALUES ('old', ?, 60000, 4)",
        now - 10 * 60_000,
      );
    });
    expect((await windows(stub)).map((w) => w.rule)).toEqual(["1h", "old"]);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await windows(stub)).map((w) => w.rule)).toEqual(["1h"]);
    expect(await alarmAt(stub)).toBe(liveEnd);
  });

  it("when every window has expired, it empties the instance", async () => {
    const stub = limiter();
    await stub.consume([HOUR]);
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE windows SET window_start = window_start - ?", 2 * HOUR.windowMs);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await alarmAt(stub)).toBeNull();
    expect(await runDurableObjectAlarm(stub)).toBe(false);
  });

  it("a key whose windows were all cleared by the alarm can be counted again right away", async () => {
    const stub = limiter();
    await stub.consume([HOUR]);
    await runInDurableObject(stub, (_instance, state) => {
      state.storage.sql.exec("UPDATE windows SET window_start = window_start - ?", 2 * HOUR.windowMs);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // Same live instance, as in production when a request follows the alarm within the instance's lifetime.
    const decision = await stub.consume([HOUR]);
    expect(decision).toEqual({ ok: true, remaining: HOUR.limit - 1 });
  });
});
