/**
 * @module media/storage: the R2 objects behind product images and shop logos, and reading an upload without trusting
 * its Content-Length.
 */
import { AppError } from "../../errors";
import type { ImageType } from "./schemas";

/**
 * Keys under these prefixes are public (product images, shop logos); anything else in the bucket (CSV uploads) is
 * never served.
 */
export const PUBLIC_PREFIXES = ["p/", "l/"] as const;
export const IMMUTABLE = "public, max-age=31536000, immutable";
/** Product images, the only keys that have renditions (see renditions.ts). */
export const PRODUCT_IMAGE_PREFIX = "p/";

export function productImageKey(supplierId: string, productId: string, imageId: string): string {
  return `p/${supplierId}/${productId}/${imageId}`;
}

export function shopLogoKey(merchantId: string, logoId: string): string {
  return `l/${merchantId}/${logoId}`;
}

/** Reads a request body, refusing it as soon as it passes `max` bytes. */
export async function readCapped(request: Request, max: number): Promise<Uint8Array> {
  const reader = request.body?.getReader();
  if (!reader) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new AppError("payload_too_large", `Images are at most ${max} bytes`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

const startsWith = (bytes: Uint8Array, prefix: number[], at = 0) => prefix.every((b, i) => bytes[at + i] === b);

/** The image type the bytes actually are, so a mislabelled upload (an HTML page as "image/png") is refused. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) {
    return "image/webp";
  }
  return undefined;
}

export async function putImage(bucket: R2Bucket, key: string, bytes: Uint8Array, contentType: ImageType) {
  await bucket.put(key, bytes, { httpMetadata: { contentType, cacheControl: IMMUTABLE } });
}
