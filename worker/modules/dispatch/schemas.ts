import { z } from "@hono/zod-openapi";
import { DISPATCH_STATUSES } from "../../db/schema";

export const DispatchId = z.string().regex(/^msg_[0-9A-Za-z_]{1,120}$/, "Not a dispatch id");
export const DispatchParams = z.object({ id: DispatchId });

export const EndpointBody = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/, error: "An http(s) URL" })
      .max(500)
      .openapi({ example: "https://erp.example.com/hooks/edge-commerce" }),
  })
  .openapi("WebhookEndpointInput");

export const EndpointSchema = z
  .object({
    url: z.string(),
    status: z.enum(["active", "disabled"]),
    disabledReason: z.string().nullable(),
    /** Only the start: the whole secret is shown once, when created or rotated. */
    secretHint: z.string(),
    rotatingUntilMs: z.number().int().nullable(),
    updatedAtMs: z.number().int(),
  })
  .openapi("WebhookEndpoint");

export const EndpointWithSecretSchema = EndpointSchema.extend({
  secret: z.string().openapi({ description: "whsec_…: store it now, it is not shown again" }),
}).openapi("WebhookEndpointWithSecret");

export const DispatchListQuery = z.strictObject({
  status: z.enum(DISPATCH_STATUSES).default("pending"),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const DispatchCsvQuery = z.strictObject({ status: z.enum(DISPATCH_STATUSES).default("pending") });

export const DispatchSchema = z
  .object({
    id: z.string().openapi({ description: "The webhook-id: the same on every re-send, so deduplicate on it" }),
    subOrderId: z.string(),
    status: z.enum(DISPATCH_STATUSES),
    attempts: z.number().int(),
    lastStatusCode: z.number().int().nullable(),
    lastError: z.string().nullable(),
    createdAtMs: z.number().int(),
    deliveredAtMs: z.number().int().nullable(),
    acknowledgedAtMs: z.number().int().nullable(),
    failedAtMs: z.number().int().nullable(),
    event: z.unknown().openapi({ description: "The order.dispatch.v1 event, exactly as the webhook sends it" }),
  })
  .openapi("Dispatch");

export const DispatchListSchema = z
  .object({ items: z.array(DispatchSchema), nextCursor: z.string().nullable() })
  .openapi("DispatchList");

export const AttemptSchema = z.object({
  attempt: z.number().int(),
  trigger: z.string(),
  atMs: z.number().int(),
  statusCode: z.number().int().nullable(),
  latencyMs: z.number().int(),
  outcome: z.string(),
  error: z.string().nullable(),
  responseExcerpt: z.string().nullable(),
});

export const AttemptListSchema = z.object({ items: z.array(AttemptSchema) }).openapi("DispatchAttempts");

export const ResendResultSchema = z
  .object({ outcome: z.string(), statusCode: z.number().int().nullable(), dispatch: DispatchSchema })
  .openapi("DispatchResend");
