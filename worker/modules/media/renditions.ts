/**
 * @module media/renditions: fixed-width WebP copies of a product image, drawn by the supplier console and stored
 * next to the original as `<original key>@<width>.webp`, and picking one for `GET /api/media/<key>?w=`.
 */
import { AppError } from "../../errors";
import { MAX_RENDITION_BYTES } from "../../middleware/json-body";
import { assertApprovedSupplier, findOwnImage, findOwnProduct } from "../catalog/service";
import { readImageUpload } from "./service";
import { PRODUCT_IMAGE_PREFIX, putImage } from "./storage";
import { imageUrl, RENDITION_WIDTHS, type RenditionWidth } from "./urls";

/** Served for `?w=` while a rendition that would fit is missing: it may still be uploaded, so not cached for good. */
export const PROVISIONAL = "public, max-age=3600";

export function renditionKey(originalKey: string, width: RenditionWidth): string {
  return `${originalKey}@${width}.webp`;
}

/** The original and every rendition it may have, for deleting them together. */
export function keysOfImage(originalKey: string): string[] {
  return [originalKey, ...RENDITION_WIDTHS.map((width) => renditionKey(originalKey, width))];
}

/**
 * Stores a rendition of the supplier's own image, replacing one of the same width.
 * @example await uploadRendition(env, supplierId, productId, imageId, 320, c.req.raw)
 */
export async function uploadRendition(
  env: Env,
  supplierId: string,
  productId: string,
  imageId: string,
  width: RenditionWidth,
  request: Request,
) {
  await assertApprovedSupplier(env.DB, supplierId);
  await findOwnProduct(env.DB, supplierId, productId);
  const image = await findOwnImage(env.DB, supplierId, productId, imageId);
  const { bytes, type } = await readImageUpload(request, MAX_RENDITION_BYTES);
  if (type !== "image/webp") throw new AppError("unsupported_media_type", `Renditions are image/webp, not ${type}`);
  await putImage(env.MEDIA, renditionKey(image.r2Key, width), bytes, type);
  return { imageId, width, url: imageUrl(image.r2Key, width) };
}

export interface StoredMedia {
  object: R2ObjectBody | R2Object | null;
  /** True when `?w=` fell back to the original although a rendition of that width could still appear. */
  provisional: boolean;
}

/**
 * The smallest stored rendition at least `wanted` wide, else the original. Only product images have renditions; a
 * rendition key itself, or another public key, is read as is.
 */
export async function readStoredMedia(
  bucket: R2Bucket,
  key: string,
  wanted: number | undefined,
  onlyIf: Headers,
): Promise<StoredMedia> {
  const renditionable = wanted !== undefined && key.startsWith(PRODUCT_IMAGE_PREFIX) && !key.includes("@");
  const fitting = renditionable ? RENDITION_WIDTHS.filter((width) => width >= wanted) : [];
  for (const width of fitting) {
    const object = await bucket.get(renditionKey(key, width), { onlyIf });
    if (object) return { object, provisional: false };
  }
  return { object: await bucket.get(key, { onlyIf }), provisional: fitting.length > 0 };
}
