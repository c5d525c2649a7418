/**
 * @module InventoryCounter: one instance per SKU (`env.INVENTORY.getByName(skuId)`), the authority on how many units
 * can still be sold. `available = onHand − sum(active holds)`; confirming a hold takes its quantity out of onHand.
 *
 * Every call is idempotent by its id (hold id or operation id): a retry has no second effect and reports the same
 * outcome. Expected outcomes are returned as values. Holds expire lazily on every call and by the alarm, which is
 * set to the earliest expiry and is safe to run more than once.
 */
import { DurableObject } from "cloudflare:workers";

/** Closed holds and operation records are kept this long so late retries still find them, then pruned. */
export const RETENTION_MS = 7 * 24 * 3_600_000;

export type HoldState = "active" | "confirmed" | "released" | "expired";

export interface StockLevels {
  onHand: number;
  /** Goes up by one on every change of onHand: D1 keeps the figure of the highest version it was sent. */
  version: number;
  held: number;
  /** Never below zero, even when a supplier lowered stock under what is already held. */
  available: number;
}

export type NotInitialised = { ok: false; reason: "not_initialised" };

export type SetStockResult =
  | ({ ok: true; stockAsOfMs: number } & StockLevels)
  | ({ ok: false; reason: "stale"; stockAsOfMs: number } & StockLevels);

export type HoldResult =
  | ({ ok: true; holdId: string; qty: number; state: "active" | "confirmed"; expiresAtMs: number } & StockLevels)
  | { ok: false; reason: "insufficient"; available: number }
  | { ok: false; reason: "expired" | "hold_mismatch" }
  | NotInitialised;

export type ConfirmResult =
  | ({ ok: true; holdId: string; qty: number } & StockLevels)
  | { ok: false; reason: "expired" | "unknown_hold" };

export type ReleaseResult =
  | ({ ok: true; holdId: string; state: "released" | "expired" } & StockLevels)
  | { ok: false; reason: "confirmed" };

export type RestockResult = ({ ok: true } & StockLevels) | NotInitialised;

export interface InventorySnapshot extends StockLevels {
  initialised: boolean;
  activeHolds: number;
  /** When the stock figure last set by the supplier side was true; 0 before the first setStock. */
  stockAsOfMs: number;
}

type OpKind = "set_stock" | "restock";

interface HoldRow {
  qty: number;
  state: HoldState;
  expires_at_ms: number;
}

function assertQuantity(name: string, value: number, min: number): void {
  // Callers validate input; a fractional or negative quantity here is a bug, not an outcome.
  if (!Number.isSafeInteger(value) || value < min) throw new RangeError(`${name} must be an integer ≥ ${min}`);
}

export class InventoryCounter extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => this.ensureSchema());
  }

  private ensureSchema(): void {
    const sql = this.ctx.storage.sql;
    // One row once initialised: its absence is what `not_initialised` reports.
    sql.exec(
      `CREATE TABLE IF NOT EXISTS stock (
         id INTEGER PRIMARY KEY CHECK (id = 1), on_hand INTEGER NOT NULL, as_of_ms INTEGER NOT NULL,
         version INTEGER NOT NULL DEFAULT 0)`,
    );
    // Counters created before the version existed get the column once.
    const columns = sql.exec<{ name: string }>("PRAGMA table_info(stock)").toArray();
    if (!columns.some((c) => c.name === "version")) {
      sql.exec("ALTER TABLE stock ADD COLUMN version INTEGER NOT NULL DEFAULT 0");
    }
    sql.exec(
      `CREATE TABLE IF NOT EXISTS holds (
         hold_id TEXT PRIMARY KEY, qty INTEGER NOT NULL, state TEXT NOT NULL, expires_at_ms INTEGER NOT NULL,
         created_at_ms INTEGER NOT NULL, closed_at_ms INTEGER)`,
    );
    sql.exec("CREATE INDEX IF NOT EXISTS holds_active ON holds (state, expires_at_ms)");
    // setStock and restock outcomes by operation id; restocks are also replayed onto a newer supplier count.
    sql.exec(
      `CREATE TABLE IF NOT EXISTS ops (
         kind TEXT NOT NULL, op_id TEXT NOT NULL, qty INTEGER NOT NULL, at_ms INTEGER NOT NULL,
         outcome TEXT NOT NULL, PRIMARY KEY (kind, op_id))`,
    );
  }

  /**
   * The supplier side's count of units on hand as of `asOfMs`. A count older than the one already applied is
   * `stale` and changes nothing. Sales confirmed and restocks recorded after `asOfMs` are not in the supplier's
   * count, so they are applied on top of it.
   */
  async setStock(opId: string, onHand: number, asOfMs = Date.now()): Promise<SetStockResult> {
    const done = this.recordedOutcome<SetStockResult>("set_stock", opId);
    if (done) return done;
    assertQuantity("onHand", onHand, 0);
    const current = this.stockRow();
    let outcome: SetStockResult;
    if (current && asOfMs <= current.as_of_ms) {
      outcome = { ok: false, reason: "stale", stockAsOfMs: current.as_of_ms, ...this.levels(Date.now()) };
    } else {
      const sold = this.sum("SELECT SUM(qty) AS n FROM holds WHERE state = 'confirmed' AND closed_at_ms > ?", asOfMs);
      const returned = this.sum("SELECT SUM(qty) AS n FROM ops WHERE kind = 'restock' AND at_ms > ?", asOfMs);
      this.ctx.storage.sql.exec(
        `INSERT INTO stock (id, on_hand, as_of_ms, version) VALUES (1, ?, ?, 1)
         ON CONFLICT (id) DO UPDATE SET on_hand = excluded.on_hand, as_of_ms = excluded.as_of_ms,
           version = stock.version + 1`,
        onHand - sold + returned,
        asOfMs,
      );
      outcome = { ok: true, stockAsOfMs: asOfMs, ...this.levels(Date.now()) };
    }
    this.recordOutcome(opId, "set_stock", onHand, Date.now(), outcome);
    await this.armAlarm();
    return outcome;
  }

  /** Reserves `qty` units for `ttlMs` if that many are available. A hold id is single-use once it is closed. */
  async hold(holdId: string, qty: number, ttlMs: number, nowMs = Date.now()): Promise<HoldResult> {
    assertQuantity("qty", qty, 1);
    assertQuantity("ttlMs", ttlMs, 1);
    this.expireDue(nowMs);
    const existing = this.holdRow(holdId);
    if (existing) {
      if (existing.state === "released" || existing.state === "expired") return { ok: false, reason: "expired" };
      if (existing.qty !== qty) return { ok: false, reason: "hold_mismatch" };
      const state = existing.state;
      return { ok: true, holdId, qty, state, expiresAtMs: existing.expires_at_ms, ...this.levels(nowMs) };
    }
    if (!this.stockRow()) return { ok: false, reason: "not_initialised" };
    const before = this.levels(nowMs);
    if (before.available < qty) return { ok: false, reason: "insufficient", available: before.available };
    const expiresAtMs = nowMs + ttlMs;
    this.ctx.storage.sql.exec(
      "INSERT INTO holds (hold_id, qty, state, expires_at_ms, created_at_ms) VALUES (?, ?, 'active', ?, ?)",
      holdId,
      qty,
      expiresAtMs,
      nowMs,
    );
    await this.armAlarm();
    return { ok: true, holdId, qty, state: "active", expiresAtMs, ...this.levels(nowMs) };
  }

  /** The order is paid: the hold's units leave onHand for good. */
  async confirm(holdId: string, nowMs = Date.now()): Promise<ConfirmResult> {
    this.expireDue(nowMs);
    const existing = this.holdRow(holdId);
    if (!existing) return { ok: false, reason: "unknown_hold" };
    if (existing.state === "released" || existing.state === "expired") return { ok: false, reason: "expired" };
    if (existing.state === "active") {
      const sql = this.ctx.storage.sql;
      sql.exec("UPDATE holds SET state = 'confirmed', closed_at_ms = ? WHERE hold_id = ?", nowMs, holdId);
      sql.exec("UPDATE stock SET on_hand = on_hand - ?, version = version + 1", existing.qty);
      await this.armAlarm();
    }
    return { ok: true, holdId, qty: existing.qty, ...this.levels(nowMs) };
  }

  /**
   * Gives a hold's units back. Releasing an unknown id leaves a tombstone, so a hold call that arrives after its
   * own compensation (a slow retry) cannot reserve units nobody will release.
   */
  async release(holdId: string, nowMs = Date.now()): Promise<ReleaseResult> {
    this.expireDue(nowMs);
    const existing = this.holdRow(holdId);
    if (existing?.state === "confirmed") return { ok: false, reason: "confirmed" };
    if (existing?.state === "released" || existing?.state === "expired") {
      return { ok: true, holdId, state: existing.state, ...this.levels(nowMs) };
    }
    const sql = this.ctx.storage.sql;
    if (existing) {
      sql.exec("UPDATE holds SET state = 'released', closed_at_ms = ? WHERE hold_id = ?", nowMs, holdId);
    } else {
      sql.exec(
        `INSERT INTO holds (hold_id, qty, state, expires_at_ms, created_at_ms, closed_at_ms)
         VALUES (?, 0, 'released', ?, ?, ?)`,
        holdId,
        nowMs,
        nowMs,
        nowMs,
      );
    }
    await this.armAlarm();
    return { ok: true, holdId, state: "released", ...this.levels(nowMs) };
  }

  /** Units come back to stock (a return, or a refund of goods that never shipped). */
  async restock(opId: string, qty: number, nowMs = Date.now()): Promise<RestockResult> {
    const done = this.recordedOutcome<RestockResult>("restock", opId);
    if (done) return done;
    assertQuantity("qty", qty, 1);
    if (!this.stockRow()) return { ok: false, reason: "not_initialised" };
    this.ctx.storage.sql.exec("UPDATE stock SET on_hand = on_hand + ?, version = version + 1", qty);
    const outcome: RestockResult = { ok: true, ...this.levels(nowMs) };
    this.recordOutcome(opId, "restock", qty, nowMs, outcome);
    await this.armAlarm();
    return outcome;
  }

  async snapshot(nowMs = Date.now()): Promise<InventorySnapshot> {
    this.expireDue(nowMs);
    const row = this.stockRow();
    const activeHolds = this.sum("SELECT COUNT(*) AS n FROM holds WHERE state = 'active'");
    return { initialised: row !== undefined, activeHolds, stockAsOfMs: row?.as_of_ms ?? 0, ...this.levels(nowMs) };
  }

  async alarm(): Promise<void> {
    const now = Date.now();
    this.expireDue(now);
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM holds WHERE state <> 'active' AND closed_at_ms <= ?", now - RETENTION_MS);
    sql.exec("DELETE FROM ops WHERE at_ms <= ?", now - RETENTION_MS);
    await this.armAlarm();
  }

  /** Closes every active hold whose time is up; running it twice changes nothing the second time. */
  private expireDue(nowMs: number): void {
    this.ctx.storage.sql.exec(
      "UPDATE holds SET state = 'expired', closed_at_ms = expires_at_ms WHERE state = 'active' AND expires_at_ms <= ?",
      nowMs,
    );
  }

  /** Next wake-up: the earliest active expiry, else when the oldest record is due for pruning. */
  private async armAlarm(): Promise<void> {
    const expiry = this.scalar("SELECT MIN(expires_at_ms) AS n FROM holds WHERE state = 'active'");
    const closed = this.scalar("SELECT MIN(closed_at_ms) AS n FROM holds WHERE state <> 'active'");
    const op = this.scalar("SELECT MIN(at_ms) AS n FROM ops");
    const prune = [closed, op].filter((t) => t !== null).map((t) => t + RETENTION_MS);
    const candidates = [...(expiry === null ? [] : [expiry]), ...prune];
    if (candidates.length === 0) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(Math.min(...candidates));
  }

  private levels(nowMs: number): StockLevels {
    const row = this.stockRow();
    const onHand = row?.on_hand ?? 0;
    const held = this.sum("SELECT SUM(qty) AS n FROM holds WHERE state = 'active' AND expires_at_ms > ?", nowMs);
    return { onHand, version: row?.version ?? 0, held, available: Math.max(0, onHand - held) };
  }

  private stockRow(): { on_hand: number; as_of_ms: number; version: number } | undefined {
    return this.ctx.storage.sql
      .exec<{ on_hand: number; as_of_ms: number; version: number }>(
        "SELECT on_hand, as_of_ms, version FROM stock WHERE id = 1",
      )
      .toArray()[0];
  }

  private holdRow(holdId: string): HoldRow | undefined {
    return this.ctx.storage.sql
      .exec<{ qty: number; state: string; expires_at_ms: number }>(
        "SELECT qty, state, expires_at_ms FROM holds WHERE hold_id = ?",
        holdId,
      )
      .toArray()
      .map((r) => ({ qty: r.qty, state: r.state as HoldState, expires_at_ms: r.expires_at_ms }))[0];
  }

  private sum(query: string, ...params: number[]): number {
    return this.scalar(query, ...params) ?? 0;
  }

  /** The single `n` column of an aggregate query, or null when it aggregated nothing. */
  private scalar(query: string, ...params: number[]): number | null {
    const row = this.ctx.storage.sql.exec<{ n: number | null }>(query, ...params).toArray()[0];
    return row?.n ?? null;
  }

  private recordedOutcome<T>(kind: OpKind, opId: string): T | undefined {
    const row = this.ctx.storage.sql
      .exec<{ outcome: string }>("SELECT outcome FROM ops WHERE kind = ? AND op_id = ?", kind, opId)
      .toArray()[0];
    // Our own JSON, written by recordOutcome for the same method.
    return row ? (JSON.parse(row.outcome) as T) : undefined;
  }

  private recordOutcome(opId: string, kind: OpKind, qty: number, atMs: number, outcome: object): void {
    this.ctx.storage.sql.exec(
      "INSERT INTO ops (op_id, kind, qty, at_ms, outcome) VALUES (?, ?, ?, ?, ?)",
      opId,
      kind,
      qty,
      atMs,
      JSON.stringify(outcome),
    );
  }
}
