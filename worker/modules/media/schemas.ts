import { z } from "@hono/zod-openapi";
import { ProductId } from "../catalog/schemas";

export const IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export const ImageUploadParams = z.object({ id: ProductId });
export const ImageUploadQuery = z.object({
  alt: z.string().trim().max(200).default("").openapi({ description: "Text for screen readers" }),
});
export const ImageParams = z.object({
  id: ProductId,
  imageId: z.string().regex(/^img_[0-9A-Za-z]{1,40}$/, "Not an img_ id"),
});

const binary = { schema: z.string().openapi({ type: "string", format: "binary" }) };
export const ImageBody = {
  content: Object.fromEntries(IMAGE_TYPES.map((type) => [type, binary])),
  required: true,
  description: "The image bytes, at most 5 MB",
} as const;
