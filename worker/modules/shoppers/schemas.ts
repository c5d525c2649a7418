import { z } from "@hono/zod-openapi";
import { EmployeeCodeSchema } from "../shop/schemas";

/** Mainland mobile numbers, with or without +86; stored as the bare 11 digits. */
export const PhoneSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s-]/g, "").replace(/^(\+?86)/, ""))
  .pipe(z.string().regex(/^1[3-9]\d{9}$/, "Enter an 11-digit mainland mobile number"))
  .openapi({ example: "13800138000", type: "string" });

export const SendCodeBody = z.strictObject({ phone: PhoneSchema }).openapi("SendCode");
export const CodeSentSchema = z
  .object({ sentTo: z.string().openapi({ example: "138****8000" }), expiresInSeconds: z.number().int() })
  .openapi("CodeSent");

export const VerifyCodeBody = z
  .strictObject({
    phone: PhoneSchema,
    code: z.string().regex(/^\d{6}$/, "The code has 6 digits"),
    employeeCode: EmployeeCodeSchema.optional().openapi({
      description: "Company-welfare shops: the employee code a new member claims on first sign-in",
    }),
  })
  .openapi("VerifyCode");

export const ShopperSchema = z
  .object({
    shopper: z.object({ id: z.string(), phone: z.string() }),
    shop: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
    memberSinceMs: z.number().int(),
    csrfToken: z.string(),
    expiresAtMs: z.number().int(),
  })
  .openapi("ShopperSession");
export type ShopperView = z.infer<typeof ShopperSchema>;
