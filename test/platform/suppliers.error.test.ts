import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, platformAdmin, type Session } from "../helpers";
import { expectCode } from "../support/problems";
import { applyAsSupplier } from "../support/tenants";

let admin: Session;

beforeAll(async () => {
  admin = await platformAdmin();
});

function decide(id: string, decision: string, body?: unknown): Promise<Response> {
  return call(`/api/platform/suppliers/${id}/${decision}`, { method: "POST", session: admin, body });
}

async function statusEvents(supplierId: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM outbox WHERE type = 'supplier.status_changed' AND json_extract(payload, '$.supplierId') = ?",
  )
    .bind(supplierId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

async function statusOf(supplier: Session): Promise<string> {
  const res = await call("/api/supplier/profile", { session: supplier });
  return (await res.json<{ status: string }>()).status;
}

describe("decisions that do not fit the supplier's state", () => {
  it("approving twice is 409 invalid_transition with currentStatus approved, and sends no second event", async () => {
    const s = await applyAsSupplier();
    expect((await decide(s.supplierId, "approve")).status).toBe(200);
    const problem = await expectCode(await decide(s.supplierId, "approve"), 409, "invalid_transition");
    expect(problem.currentStatus).toBe("approved");
    expect(await statusEvents(s.supplierId)).toBe(1);
  });

  it("rejecting an approved supplier is 409 invalid_transition and it stays approved", async () => {
    const s = await applyAsSupplier();
    expect((await decide(s.supplierId, "approve")).status).toBe(200);
    const problem = await expectCode(
      await decide(s.supplierId, "reject", { reason: "改主意" }),
      409,
      "invalid_transition",
    );
    expect(problem.currentStatus).toBe("approved");
    expect(await statusOf(s)).toBe("approved");
  });

  it.each([
    ["suspending a pending supplier", [], "suspend", "pending"],
    ["reinstating a pending supplier", [], "reinstate", "pending"],
    ["reinstating an approved supplier", ["approve"], "reinstate", "approved"],
    ["approving a rejected supplier", ["reject"], "approve", "rejected"],
    ["approving a suspended supplier", ["approve", "suspend"], "approve", "suspended"],
  ])("%s is 409 invalid_transition naming the current status", async (_what, steps, decision, current) => {
    const s = await applyAsSupplier();
    for (const step of steps) expect((await decide(s.supplierId, step)).status).toBe(200);
    const events = await statusEvents(s.supplierId);
    const problem = await expectCode(await decide(s.supplierId, decision), 409, "invalid_transition");
    expect(problem.currentStatus).toBe(current);
    expect(await statusOf(s)).toBe(current);
    expect(await statusEvents(s.supplierId)).toBe(events);
  });
});

describe("bad requests", () => {
  it("an unknown supplier id is 404 not_found", async () => {
    await expectCode(await decide("sup_doesnotexist0000", "approve"), 404, "not_found");
  });

  it.each([
    ["a merchant id in place of a supplier id", "mer_abc123", "approve", "id"],
    ["a supplier id with punctuation", "sup_abc;drop", "approve", "id"],
    ["an unknown decision", "sup_abc123", "delete", "decision"],
  ])("%s is 400 validation_failed", async (_what, id, decision, path) => {
    const problem = await expectCode(await decide(id, decision), 400, "validation_failed");
    expect(problem.issues?.map((i) => i.path)).toContain(path);
  });

  it.each([
    ["an unknown field", { reason: "ok", notify: false }],
    ["a blank reason", { reason: "   " }],
    ["a reason over 500 characters", { reason: "r".repeat(501) }],
  ])("a decision body with %s is 400 validation_failed and decides nothing", async (_what, body) => {
    const s = await applyAsSupplier();
    await expectCode(await decide(s.supplierId, "reject", body), 400, "validation_failed");
    expect(await statusOf(s)).toBe("pending");
  });

  it("an unknown status filter is 400 validation_failed", async () => {
    const res = await call("/api/platform/suppliers?status=deleted", { session: admin });
    const problem = await expectCode(res, 400, "validation_failed");
    expect(problem.issues?.map((i) => i.path)).toContain("status");
  });

  it("re-driving a dead letter that does not exist is 404 not_found", async () => {
    await expectCode(
      await call("/api/platform/dead-letters/evt_nothing_here/redrive", { method: "POST", session: admin }),
      404,
      "not_found",
    );
  });
});
