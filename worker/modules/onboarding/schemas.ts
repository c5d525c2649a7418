import { z } from "@hono/zod-openapi";
import { EmailSchema, PasswordSchema, StaffSessionSchema } from "../auth/schemas";
import { PhoneSchema } from "../shoppers/schemas";

export const SlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "Use at least 2 characters")
  .max(32)
  .openapi({ example: "tea-house", description: "Lowercase letters, digits and single hyphens" });

const NameSchema = z.string().trim().min(1).max(60);

export const MerchantSignUpBody = z
  .strictObject({
    shopName: NameSchema,
    slug: SlugSchema,
    ownerName: NameSchema,
    email: EmailSchema,
    password: PasswordSchema,
  })
  .openapi("MerchantSignUp");
export type MerchantSignUpBody = z.infer<typeof MerchantSignUpBody>;

export const SupplierApplyBody = z
  .strictObject({
    companyName: NameSchema,
    contactName: NameSchema,
    contactPhone: PhoneSchema,
    email: EmailSchema,
    password: PasswordSchema,
  })
  .openapi("SupplierApplication");
export type SupplierApplyBody = z.infer<typeof SupplierApplyBody>;

/** Looser than SlugSchema so the form hears "format" instead of a validation error while the user types. */
export const SlugQuery = z.object({ slug: z.string().trim().toLowerCase().min(1).max(100) });
export const SlugAvailabilitySchema = z
  .object({
    slug: z.string(),
    available: z.boolean(),
    reason: z.enum(["format", "reserved", "taken"]).nullable(),
    shopUrl: z.string(),
  })
  .openapi("SlugAvailability");

export const OnboardedSchema = StaffSessionSchema.extend({
  org: z.object({
    orgType: z.enum(["supplier", "merchant"]),
    orgId: z.string(),
    status: z.string(),
    slug: z.string().nullable(),
  }),
}).openapi("Onboarded");
export type Onboarded = z.infer<typeof OnboardedSchema>;

export const InvitationTokenParam = z.object({
  token: z.string().regex(/^[0-9A-Za-z]{32}$/, "Not an invitation token"),
});

export const InvitationPreviewSchema = z
  .object({
    orgType: z.enum(["supplier", "merchant"]),
    orgName: z.string(),
    email: z.string(),
    role: z.enum(["staff"]),
    expiresAtMs: z.number().int(),
    accountExists: z.boolean(),
  })
  .openapi("InvitationPreview");

export const AcceptInvitationBody = z
  .strictObject({
    token: z.string().regex(/^[0-9A-Za-z]{32}$/, "Not an invitation token"),
    name: NameSchema.optional().openapi({ description: "Needed when the invited email has no account yet" }),
    password: z.string().min(1).max(200),
  })
  .openapi("AcceptInvitation");
export type AcceptInvitationBody = z.infer<typeof AcceptInvitationBody>;
