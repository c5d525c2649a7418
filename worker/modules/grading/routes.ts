/**
 * @module grading/routes: `/api/platform/…` supplier grades — platform administrators only.
 */
import { createRoute, jsonOk, problems, router, z } from "../../lib/openapi";
import { requirePlatformAdmin } from "../auth/identity";
import { RecomputeSchema, SupplierGradeSchema } from "./schemas";
import { recomputeGrades, supplierGradeList } from "./service";

export const gradingRoutes = router();
const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed");
const tags = ["Platform console"];

gradingRoutes.openapi(
  createRoute({
    method: "get",
    path: "/suppliers/grades",
    tags,
    summary: "Every supplier with its status, grade, score and the four signals the grade is made of",
    responses: {
      200: jsonOk(z.object({ items: z.array(SupplierGradeSchema) }), "Newest suppliers first"),
      ...denied,
    },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    return c.json({ items: await supplierGradeList(c.env.DB) }, 200);
  },
);

gradingRoutes.openapi(
  createRoute({
    method: "post",
    path: "/grades/recompute",
    tags,
    summary: "Recompute every approved supplier's grade now (the cron does it hourly)",
    responses: { 200: jsonOk(RecomputeSchema, "What was graded"), ...denied },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    return c.json(await recomputeGrades(c.env), 200);
  },
);
