import { z } from "@hono/zod-openapi";
import { ProductId } from "../catalog/schemas";
import { RENDITION_WIDTHS } from "./urls";

export const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export const ImageUploadParams = z.object({ id: ProductId });
export const ImageUploadQuery = z.object({
  alt: z.string().trim().max(200).default("").openapi({ description: "Text for screen readers" }),
});
export const ImageParams = z.object({
  id: ProductId,
  imageId: z.string().regex(/^img_[0-9A-Za-z_]{1,60}$/, "Not an img_ id"),
});

const binary = { schema: z.string().openapi({ type: "string", format: "binary" }) };
export const ImageBody = {
  content: Object.fromEntries(IMAGE_TYPES.map((type) => [type, binary])),
  required: true,
  description: "The image bytes, at most 5 MB",
} as const;

export const RenditionParams = ImageParams.extend({
  width: z.coerce
    .number()
    .pipe(z.literal(RENDITION_WIDTHS))
    .openapi({ type: "integer", enum: [...RENDITION_WIDTHS], description: "The rendition's width in pixels" }),
});
export const RenditionBody = {
  content: { "image/webp": binary },
  required: true,
  description: "The image resized to `width` (never upscaled), as WebP, at most 1 MB",
} as const;
export const RenditionSchema = z
  .object({ imageId: z.string(), width: z.number().int(), url: z.string() })
  .openapi("ProductImageRendition");

/** `?w=` on a media URL: the narrowest width the page will draw the image at. */
export const MediaQuery = z.object({
  w: z.coerce.number().int().min(1).max(10_000).optional(),
});
