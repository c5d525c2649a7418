import { z } from "@hono/zod-openapi";
import { MAX_MIN_MARGIN_BPS } from "../listings/guardrails";
import { IMAGE_TYPES } from "../media/schemas";

export const TemplateSchema = z.enum(["general", "baby", "welfare"]);
export type Template = z.infer<typeof TemplateSchema>;

const ListingIdSchema = z.string().regex(/^lst_[0-9A-Za-z_]{1,60}$/, "Not a lst_ id");

/** Same-site paths (not `//host`) or https URLs: a banner link never runs script or leaves for plain http. */
const LinkSchema = z
  .string()
  .trim()
  .max(300)
  .regex(/^(\/(?!\/)\S*|https:\/\/\S+)$/, "Use a path starting with / or an https:// address");

/** An R2 object key or a placeholder key, as the media routes serve them. */
const ImageKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .regex(/^[^\s\\]+$/, "Image keys have no spaces or backslashes")
  .refine((key) => !key.split("/").includes(".."), "Image keys have no .. segments");

const Title = z.string().trim().min(1).max(40);

export const BannerSectionSchema = z.strictObject({
  type: z.literal("banner"),
  title: Title,
  subtitle: z.string().trim().max(80).optional(),
  imageKey: ImageKeySchema.optional(),
  link: LinkSchema.optional(),
});

export const CollectionSectionSchema = z.strictObject({
  type: z.literal("collection"),
  title: Title,
  listingIds: z
    .array(ListingIdSchema)
    .min(1)
    .max(50)
    .refine((ids) => new Set(ids).size === ids.length, "A listing appears twice"),
});

export const RecommendationsSectionSchema = z.strictObject({ type: z.literal("recommendations"), title: Title });

export const HomeSectionSchema = z
  .discriminatedUnion("type", [BannerSectionSchema, CollectionSectionSchema, RecommendationsSectionSchema])
  .openapi("HomeSection");
export type HomeSection = z.infer<typeof HomeSectionSchema>;
export const HomeSectionsSchema = z.array(HomeSectionSchema).max(12);

export const MinMarginSchema = z.number().int().min(0).max(MAX_MIN_MARGIN_BPS);

export const ShopSettingsBody = z
  .strictObject({
    template: TemplateSchema,
    minMarginBps: MinMarginSchema.nullable().optional().openapi({
      description: "Basis points over supply (1000 = 10 %); null uses the platform default; omitted keeps the current",
    }),
    homeSections: HomeSectionsSchema,
  })
  .openapi("ShopSettingsInput");
export type ShopSettingsInput = z.infer<typeof ShopSettingsBody>;

export const ShopSettingsSchema = z
  .object({
    template: TemplateSchema,
    minMarginBps: z.number().int().nullable(),
    effectiveMinMarginBps: z.number().int().openapi({ description: "What the guardrails use now" }),
    homeSections: HomeSectionsSchema,
    logoUrl: z.string().nullable().openapi({ description: "Where the shop's logo is served; null shows the name" }),
    catalogVersion: z.number().int(),
    updatedAtMs: z.number().int().nullable(),
  })
  .openapi("ShopSettings");
export type ShopSettingsView = z.infer<typeof ShopSettingsSchema>;

export const ShopLogoSchema = z
  .object({ logoUrl: z.string().openapi({ example: "/api/media/l/mer_0mfz3k1q2a9Xb7cD/logo_0mfz3k1q2Zz9Yx8w" }) })
  .openapi("ShopLogo");

const binary = { schema: z.string().openapi({ type: "string", format: "binary" }) };
export const ShopLogoBody = {
  content: Object.fromEntries(IMAGE_TYPES.map((type) => [type, binary])),
  required: true,
  description: "The logo's bytes (PNG, JPEG or WebP), at most 2 MB",
} as const;

export const PlatformSettingsBody = z
  .strictObject({ defaultMinMarginBps: MinMarginSchema })
  .openapi("PlatformSettingsInput");
export const PlatformSettingsSchema = z.object({ defaultMinMarginBps: z.number().int() }).openapi("PlatformSettings");

/** Employee codes compare case-insensitively: stored and looked up in upper case. */
export const EmployeeCodeSchema = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z_-]{3,32}$/, "3–32 letters, digits, - or _")
  .transform((code) => code.toUpperCase());

export const WelfareCodesBody = z
  .strictObject({
    codes: z
      .array(z.strictObject({ code: EmployeeCodeSchema, label: z.string().trim().max(60).optional() }))
      .min(1)
      .max(1000),
  })
  .openapi("WelfareCodesInput");
export type WelfareCodesInput = z.infer<typeof WelfareCodesBody>;

export const WelfareCodesQuery = z.object({
  claimed: z.enum(["true", "false"]).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const WelfareCodeSchema = z
  .object({
    code: z.string(),
    label: z.string(),
    claimed: z.boolean(),
    claimedByShopperId: z.string().nullable(),
    claimedAtMs: z.number().int().nullable(),
  })
  .openapi("WelfareCode");

export const WelfareImportSchema = z
  .object({
    created: z.number().int().openapi({ description: "New codes stored" }),
    skipped: z.number().int().openapi({ description: "Codes this shop already had (or repeated in the request)" }),
  })
  .openapi("WelfareImport");
