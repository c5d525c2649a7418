import { z } from "@hono/zod-openapi";

export const SupplierStatusQuery = z.object({
  status: z.enum(["pending", "approved", "suspended", "rejected"]).optional(),
});
export const DecisionParams = z.object({
  id: z.string().regex(/^sup_[0-9A-Za-z_]{1,60}$/, "Not a sup_ id"),
  decision: z.enum(["approve", "reject", "suspend", "reinstate"]),
});
export const DecisionBody = z
  .strictObject({ reason: z.string().trim().min(1).max(500).optional() })
  .openapi("SupplierDecision");

export const PlatformSupplierSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    contactName: z.string(),
    contactPhone: z.string(),
    status: z.enum(["pending", "approved", "suspended", "rejected"]),
    statusReason: z.string().nullable(),
    createdAtMs: z.number(),
    reviewedAtMs: z.number().nullable(),
  })
  .openapi("PlatformSupplier");

export const PlatformMerchantSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    themeColor: z.string(),
    status: z.string(),
    createdAtMs: z.number(),
  })
  .openapi("PlatformMerchant");

export const DeadLetterSchema = z
  .object({ eventId: z.string(), type: z.string(), body: z.string(), attempts: z.number(), receivedAtMs: z.number() })
  .openapi("DeadLetter");
