import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { outboxInsert } from "../../worker/events/outbox";
import worker from "../../worker/index";
import { runHousekeeping } from "../../worker/jobs/housekeeping";
import { unique } from "../helpers";
import { merchantRegistered, notificationsFromEvent } from "../support/events";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function runCron(): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "* * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function exists(sql: string, ...params: unknown[]): Promise<boolean> {
  return (
    (await env.DB.prepare(sql)
      .bind(...params)
      .first()) !== null
  );
}

async function idempotencyRecord(expiresAtMs: number): Promise<string> {
  const key = unique("idem-");
  await env.DB.prepare(
    `INSERT INTO idempotency_keys (scope, key, request_hash, state, response_status, response_headers, response_body,
       created_at_ms, locked_until_ms, expires_at_ms) VALUES ('usr:housekeeping', ?, 'h', 'done', 201, '{}', '{}', ?, ?, ?)`,
  )
    .bind(key, expiresAtMs - DAY, expiresAtMs - DAY, expiresAtMs)
    .run();
  return key;
}

async function session(expiresAtMs: number): Promise<string> {
  const tokenHash = unique("hash-");
  await env.DB.prepare(
    `INSERT INTO sessions (token_hash, subject_type, subject_id, merchant_id, csrf_token, created_at_ms, expires_at_ms)
     VALUES (?, 'user', 'usr_housekeeping', NULL, 'csrf', ?, ?)`,
  )
    .bind(tokenHash, expiresAtMs - 7 * DAY, expiresAtMs)
    .run();
  return tokenHash;
}

describe("the scheduled handler (housekeeping)", () => {
  it("relays unsent outbox rows to the queue, whose subscribers then act on them", async () => {
    const event = merchantRegistered();
    await outboxInsert(env.DB, event);
    await runCron();
    const row = await env.DB.prepare("SELECT sent_at_ms FROM outbox WHERE id = ?")
      .bind(event.id)
      .first<{ sent_at_ms: number | null }>();
    expect(row?.sent_at_ms).not.toBeNull();
    await expect.poll(async () => (await notificationsFromEvent(event.id)).length, { timeout: 15_000 }).toBe(2);
  }, 30_000);

  it("deletes expired idempotency records and keeps live ones", async () => {
    const now = Date.now();
    const expired = await idempotencyRecord(now - 1_000);
    const live = await idempotencyRecord(now + HOUR);
    await runCron();
    expect(await exists("SELECT 1 FROM idempotency_keys WHERE key = ?", expired)).toBe(false);
    expect(await exists("SELECT 1 FROM idempotency_keys WHERE key = ?", live)).toBe(true);
  });

  it("deletes sessions that ended more than a day ago and keeps recent and live ones", async () => {
    const now = Date.now();
    const longGone = await session(now - 2 * DAY);
    const justEnded = await session(now - HOUR);
    const live = await session(now + DAY);
    await runCron();
    expect(await exists("SELECT 1 FROM sessions WHERE token_hash = ?", longGone)).toBe(false);
    // Kept for a day so the console can still say "your session has ended" rather than "sign in".
    expect(await exists("SELECT 1 FROM sessions WHERE token_hash = ?", justEnded)).toBe(true);
    expect(await exists("SELECT 1 FROM sessions WHERE token_hash = ?", live)).toBe(true);
  });

  it("deletes week-old sent outbox rows and month-old processed-event markers, keeping recent ones", async () => {
    const now = Date.now();
    const old = merchantRegistered();
    const recent = merchantRegistered();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO outbox (id, type, payload, occurred_at_ms, sent_at_ms) VALUES (?, ?, '{}', ?, ?)",
      ).bind(old.id, old.type, now - 9 * DAY, now - 8 * DAY),
      env.DB.prepare(
        "INSERT INTO outbox (id, type, payload, occurred_at_ms, sent_at_ms) VALUES (?, ?, '{}', ?, ?)",
      ).bind(recent.id, recent.type, now - 2 * DAY, now - DAY),
      env.DB.prepare("INSERT INTO processed_events (consumer, event_id, processed_at_ms) VALUES ('hk', ?, ?)").bind(
        old.id,
        now - 31 * DAY,
      ),
      env.DB.prepare("INSERT INTO processed_events (consumer, event_id, processed_at_ms) VALUES ('hk', ?, ?)").bind(
        recent.id,
        now - DAY,
      ),
    ]);
    await runCron();
    expect(await exists("SELECT 1 FROM outbox WHERE id = ?", old.id)).toBe(false);
    expect(await exists("SELECT 1 FROM outbox WHERE id = ?", recent.id)).toBe(true);
    expect(await exists("SELECT 1 FROM processed_events WHERE event_id = ?", old.id)).toBe(false);
    expect(await exists("SELECT 1 FROM processed_events WHERE event_id = ?", recent.id)).toBe(true);
  });

  it("never deletes an outbox row that has not been sent, however old", async () => {
    const ancient = merchantRegistered();
    await env.DB.prepare("INSERT INTO outbox (id, type, payload, occurred_at_ms) VALUES (?, ?, ?, ?)")
      .bind(ancient.id, ancient.type, JSON.stringify(ancient.payload), Date.now() - 60 * DAY)
      .run();
    const { relayed } = await runHousekeeping(env);
    expect(relayed).toBeGreaterThanOrEqual(1);
    expect(await exists("SELECT 1 FROM outbox WHERE id = ? AND sent_at_ms IS NOT NULL", ancient.id)).toBe(true);
  });

  it("deletes one-time codes that expired more than a day ago", async () => {
    const now = Date.now();
    const insert = (id: string, expiresAtMs: number) =>
      env.DB.prepare(
        `INSERT INTO otp_codes (id, phone, merchant_id, code_hash, attempts, created_at_ms, expires_at_ms)
         VALUES (?, '13700000000', 'mer_housekeeping', 'hash', 0, ?, ?)`,
      ).bind(id, expiresAtMs - 600_000, expiresAtMs);
    const old = unique("otp_old");
    const fresh = unique("otp_new");
    await env.DB.batch([insert(old, now - 2 * DAY), insert(fresh, now - HOUR)]);
    await runCron();
    expect(await exists("SELECT 1 FROM otp_codes WHERE id = ?", old)).toBe(false);
    expect(await exists("SELECT 1 FROM otp_codes WHERE id = ?", fresh)).toBe(true);
  });
});
