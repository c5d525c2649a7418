/**
 * @module ShopperHolds: one instance per shopper (`env.SHOPPER_HOLDS.getByName(shopperId)`), the open checkouts
 * (hold groups) that shopper has, so one person cannot lock up a shop's stock. A group counts until it is closed or
 * its holds' expiry passes; expired groups are dropped lazily and by the alarm.
 */
import { DurableObject } from "cloudflare:workers";

export interface ShopperLimits {
  maxUnits: number;
  maxCheckouts: number;
}

export type OpenGroupResult =
  | { ok: true; heldUnits: number; openCheckouts: number }
  | { ok: false; reason: "too_many_units"; heldUnits: number; maxUnits: number }
  | { ok: false; reason: "too_many_checkouts"; openCheckouts: number; maxCheckouts: number };

export class ShopperHolds extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => this.ensureSchema());
  }

  private ensureSchema(): void {
    this.ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS open_groups (
         group_id TEXT PRIMARY KEY, units INTEGER NOT NULL, expires_at_ms INTEGER NOT NULL)`,
    );
  }

  /**
   * Records an open checkout of `units` until `expiresAtMs`, if the shopper stays within the limits. Opening the same
   * group again (a retried checkout) replaces its figures rather than counting it twice.
   */
  async open(
    groupId: string,
    units: number,
    expiresAtMs: number,
    limits: ShopperLimits,
    nowMs = Date.now(),
  ): Promise<OpenGroupResult> {
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM open_groups WHERE expires_at_ms <= ?", nowMs);
    const others = sql
      .exec<{ n: number; units: number | null }>(
        "SELECT COUNT(*) AS n, SUM(units) AS units FROM open_groups WHERE group_id <> ?",
        groupId,
      )
      .toArray()[0];
    const openCheckouts = (others?.n ?? 0) + 1;
    const heldUnits = (others?.units ?? 0) + units;
    if (openCheckouts > limits.maxCheckouts) {
      return {
        ok: false,
        reason: "too_many_checkouts",
        openCheckouts: openCheckouts - 1,
        maxCheckouts: limits.maxCheckouts,
      };
    }
    if (heldUnits > limits.maxUnits) {
      return { ok: false, reason: "too_many_units", heldUnits: heldUnits - units, maxUnits: limits.maxUnits };
    }
    sql.exec(
      `INSERT INTO open_groups (group_id, units, expires_at_ms) VALUES (?, ?, ?)
       ON CONFLICT (group_id) DO UPDATE SET units = excluded.units, expires_at_ms = excluded.expires_at_ms`,
      groupId,
      units,
      expiresAtMs,
    );
    await this.armAlarm();
    return { ok: true, heldUnits, openCheckouts };
  }

  /** The checkout was paid or abandoned; closing an unknown or already closed group is a no-op. */
  async close(groupId: string): Promise<{ ok: true; openCheckouts: number }> {
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM open_groups WHERE group_id = ?", groupId);
    await this.armAlarm();
    const row = sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM open_groups").toArray()[0];
    return { ok: true, openCheckouts: row?.n ?? 0 };
  }

  async alarm(): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM open_groups WHERE expires_at_ms <= ?", Date.now());
    await this.armAlarm();
  }

  private async armAlarm(): Promise<void> {
    const row = this.ctx.storage.sql
      .exec<{ next: number | null }>("SELECT MIN(expires_at_ms) AS next FROM open_groups")
      .toArray()[0];
    if (row?.next) await this.ctx.storage.setAlarm(row.next);
    else await this.ctx.storage.deleteAlarm();
  }
}
