/**
 * @module RateLimiter: one instance per limited key (`signin:ip:1.2.3.4`, `otp:phone:138…`), fixed windows per rule.
 * Expected outcomes are returned as values; the alarm wipes the instance once every window has passed.
 */
import { DurableObject } from "cloudflare:workers";

export interface RateRule {
  /** Distinguishes several windows on one key, e.g. "minute" and "hour". */
  name: string;
  limit: number;
  windowMs: number;
}

export type RateDecision =
  | { ok: true; remaining: number }
  | { ok: false; reason: "rate_limited"; retryAfterMs: number; rule: string };

export class RateLimiter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => this.ensureSchema());
  }

  private ensureSchema(): void {
    this.ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS windows (
         rule TEXT NOT NULL, window_start INTEGER NOT NULL, window_ms INTEGER NOT NULL, count INTEGER NOT NULL,
         PRIMARY KEY (rule, window_start))`,
    );
  }

  /** Counts one hit against every rule, or none if any rule is already at its limit. */
  async consume(rules: RateRule[], nowMs = Date.now()): Promise<RateDecision> {
    const sql = this.ctx.storage.sql;
    let remaining = Number.POSITIVE_INFINITY;
    for (const rule of rules) {
      const start = nowMs - (nowMs % rule.windowMs);
      const row = sql
        .exec<{ count: number }>("SELECT count FROM windows WHERE rule = ? AND window_start = ?", rule.name, start)
        .toArray()[0];
      const count = row?.count ?? 0;
      if (count >= rule.limit) {
        return { ok: false, reason: "rate_limited", retryAfterMs: start + rule.windowMs - nowMs, rule: rule.name };
      }
      remaining = Math.min(remaining, rule.limit - count - 1);
    }
    let latestEnd = 0;
    for (const rule of rules) {
      const start = nowMs - (nowMs % rule.windowMs);
      sql.exec(
        `INSERT INTO windows (rule, window_start, window_ms, count) VALUES (?, ?, ?, 1)
         ON CONFLICT (rule, window_start) DO UPDATE SET count = count + 1`,
        rule.name,
        start,
        rule.windowMs,
      );
      latestEnd = Math.max(latestEnd, start + rule.windowMs);
    }
    const alarm = await this.ctx.storage.getAlarm();
    if (alarm === null || alarm < latestEnd) await this.ctx.storage.setAlarm(latestEnd);
    return { ok: true, remaining };
  }

  async alarm(): Promise<void> {
    const now = Date.now();
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM windows WHERE window_start + window_ms <= ?", now);
    const next = sql
      .exec<{ end: number | null }>("SELECT MAX(window_start + window_ms) AS end FROM windows")
      .toArray()[0];
    if (next?.end) await this.ctx.storage.setAlarm(next.end);
    else {
      // deleteAll frees the storage but drops the table too; this instance may be called again before eviction.
      await this.ctx.storage.deleteAll();
      this.ensureSchema();
    }
  }
}
