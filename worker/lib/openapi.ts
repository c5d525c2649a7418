/**
 * @module openapi: small builders so every route documents its body, responses and problems the same way.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type ErrorCode, statusOf, validationError } from "../errors";
import type { AppEnv } from "../types";

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })).optional(),
  })
  .openapi("Problem");

/** A router whose validation failures become `validation_failed` problems instead of Hono's default 400 text. */
export function router(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, `Invalid ${result.target}`);
    },
  });
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { "application/json": { schema } }, required: true } as const;
}

export function jsonOk<T extends z.ZodType>(schema: T, description: string) {
  return { content: { "application/json": { schema } }, description } as const;
}

/** Documents the problem responses a route can give, grouped by status. */
export function problems(...codes: ErrorCode[]) {
  const byStatus: Record<number, ErrorCode[]> = {};
  for (const code of codes) byStatus[statusOf(code)] = [...(byStatus[statusOf(code)] ?? []), code];
  const out: Record<
    number,
    { description: string; content: { "application/problem+json": { schema: typeof ProblemSchema } } }
  > = {};
  for (const [status, list] of Object.entries(byStatus)) {
    out[Number(status)] = {
      description: `Problem: ${list.join(", ")}`,
      content: { "application/problem+json": { schema: ProblemSchema } },
    };
  }
  return out;
}

export const IdempotencyHeader = z.object({
  "idempotency-key": z.string().optional().openapi({
    description: "Makes a retry safe: the first response is stored for 24 h and replayed for the same key.",
  }),
});

export { createRoute, z };
