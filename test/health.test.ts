import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("GET /api/health", () => {
  it("reports ok with a D1 round trip and a request id", async () => {
    const res = await exports.default.fetch("http://localhost/api/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const body = await res.json<{ status: string; checks: { d1: { ok: boolean } } }>();
    expect(body.status).toBe("ok");
    expect(body.checks.d1.ok).toBe(true);
  });
});
