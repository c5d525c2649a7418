import { z } from "@hono/zod-openapi";
import { EmailSchema } from "../auth/schemas";
import { PhoneSchema } from "../shoppers/schemas";

export const IdParam = (prefix: string) =>
  z.object({ id: z.string().regex(new RegExp(`^${prefix}_[0-9A-Za-z_]{1,60}$`), `Not a ${prefix}_ id`) });

export const StaffMemberSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    role: z.enum(["owner", "staff", "admin"]),
    joinedAtMs: z.number(),
  })
  .openapi("StaffMember");

export const InviteBody = z
  .strictObject({ email: EmailSchema, role: z.literal("staff").default("staff") })
  .openapi("Invite");
export const InvitationSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: z.enum(["staff"]),
    status: z.enum(["pending", "accepted", "revoked", "expired"]),
    createdAtMs: z.number(),
    expiresAtMs: z.number(),
  })
  .openapi("Invitation");
export const CreatedInvitationSchema = InvitationSchema.extend({
  acceptUrl: z.string().openapi({ description: "Shown once: the link that was emailed, for sharing by hand" }),
}).openapi("CreatedInvitation");

export const CreateApiKeyBody = z.strictObject({ name: z.string().trim().min(1).max(60) }).openapi("CreateApiKey");
export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    displayPrefix: z.string(),
    createdAtMs: z.number(),
    lastUsedAtMs: z.number().nullable(),
    revokedAtMs: z.number().nullable(),
  })
  .openapi("ApiKey");
export const CreatedApiKeySchema = ApiKeySchema.extend({
  secret: z.string().openapi({ description: "The key itself; shown only in this response" }),
}).openapi("CreatedApiKey");

export const NotificationSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    title: z.string(),
    body: z.string(),
    createdAtMs: z.number(),
    readAtMs: z.number().nullable(),
  })
  .openapi("Notification");

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;
export const MerchantProfileSchema = z
  .object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    themeColor: z.string(),
    status: z.string(),
    createdAtMs: z.number(),
  })
  .openapi("MerchantProfile");
export const MerchantProfilePatch = z
  .strictObject({
    name: z.string().trim().min(1).max(60).optional(),
    themeColor: z.string().regex(HEX_COLOUR, "Use a colour like #e4393c").optional(),
  })
  .openapi("MerchantProfilePatch");

export const SupplierProfileSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    contactName: z.string(),
    contactPhone: z.string(),
    status: z.string(),
    statusReason: z.string().nullable(),
    createdAtMs: z.number(),
  })
  .openapi("SupplierProfile");
export const SupplierProfilePatch = z
  .strictObject({
    name: z.string().trim().min(1).max(60).optional(),
    contactName: z.string().trim().min(1).max(60).optional(),
    contactPhone: PhoneSchema.optional(),
  })
  .openapi("SupplierProfilePatch");
