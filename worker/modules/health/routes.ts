/**
 * @module health/routes: `GET /api/health` — is the Worker up and can it reach D1?
 */
import { AppError } from "../../errors";
import { createRoute, jsonOk, problems, router, z } from "../../lib/openapi";

export const healthRoutes = router();

const HealthSchema = z
  .object({
    status: z.literal("ok"),
    checks: z.object({ d1: z.object({ ok: z.literal(true), latencyMs: z.number() }) }),
  })
  .openapi("Health");

healthRoutes.openapi(
  createRoute({
    method: "get",
    path: "/health",
    tags: ["Operations"],
    summary: "Liveness and D1 reachability",
    responses: { 200: jsonOk(HealthSchema, "Healthy"), ...problems("unavailable") },
  }),
  async (c) => {
    const started = Date.now();
    const row = await c.env.DB.prepare("SELECT 1 AS one")
      .first<{ one: number }>()
      .catch(() => null);
    if (row?.one !== 1) throw new AppError("unavailable", "D1 did not answer");
    return c.json(
      { status: "ok" as const, checks: { d1: { ok: true as const, latencyMs: Date.now() - started } } },
      200,
    );
  },
);
