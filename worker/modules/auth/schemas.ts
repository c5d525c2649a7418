import { z } from "@hono/zod-openapi";

export const EmailSchema = z
  .email()
  .max(200)
  .transform((s) => s.toLowerCase())
  .openapi({ example: "owner@example.com" });
export const PasswordSchema = z.string().min(10, "Use at least 10 characters").max(200);

export const SignInBody = z
  .strictObject({ email: EmailSchema, password: z.string().min(1).max(200) })
  .openapi("SignIn");
export type SignInBody = z.infer<typeof SignInBody>;

export const MembershipSchema = z.object({
  orgType: z.enum(["platform", "supplier", "merchant"]),
  orgId: z.string(),
  role: z.enum(["owner", "staff", "admin"]),
  orgName: z.string(),
  orgStatus: z.string(),
  orgSlug: z.string().nullable(),
});

export const StaffSessionSchema = z
  .object({
    user: z.object({ id: z.string(), email: z.string(), name: z.string() }),
    memberships: z.array(MembershipSchema),
    csrfToken: z.string().openapi({ description: "Echo in X-CSRF-Token on every write made with the session cookie" }),
    expiresAtMs: z.number().int(),
  })
  .openapi("StaffSession");
export type StaffSession = z.infer<typeof StaffSessionSchema>;
