/**
 * @module refunds/photos: the pictures a shopper attaches to a refund request. They show people's homes and parcels,
 * so they live outside the public media prefixes (`/api/media` never serves them) and are read only through routes
 * that check who is asking: the shopper who took them, the merchant of the order, the platform.
 */
import { AppError } from "../../errors";
import { newId } from "../../lib/crypto";
import { enforceRateLimit } from "../../lib/rate-limit";
import { MAX_IMAGE_BYTES } from "../../middleware/json-body";
import { readImageUpload } from "../media/service";
import type { RefundScope } from "./repository";

/** Enough for a few requests with six photos each, not enough to use the bucket as free storage. */
const UPLOAD_RULES = [{ name: "1h", limit: 40, windowMs: 3_600_000 }];
const PRIVATE_CACHE = "private, max-age=3600";

export function photoKey(shopperId: string, photoId: string): string {
  return `refunds/${shopperId}/${photoId}`;
}

function photoIdOf(key: string): string {
  return key.slice(key.lastIndexOf("/") + 1);
}

/**
 * Stores one sniffed image (JPEG, PNG or WebP, at most 5 MB) under the shopper's prefix.
 * @example const { key } = await uploadRefundPhoto(env, shopperId, c.req.raw)
 */
export async function uploadRefundPhoto(
  env: Env,
  shopperId: string,
  request: Request,
): Promise<{ key: string; url: string }> {
  await enforceRateLimit(env, `refund-photo:${shopperId}`, UPLOAD_RULES);
  const { bytes, type } = await readImageUpload(request, MAX_IMAGE_BYTES);
  const photoId = newId("rph");
  const key = photoKey(shopperId, photoId);
  await env.MEDIA.put(key, bytes, { httpMetadata: { contentType: type } });
  return { key, url: `/api/shop/refund-photos/${photoId}` };
}

export async function photoExists(env: Env, key: string): Promise<boolean> {
  return (await env.MEDIA.head(key)) !== null;
}

/** Where each photo of a refund is read by whoever holds this view of it. */
export function photoUrls(refundId: string, keys: string[], scope: RefundScope): string[] {
  switch (scope.kind) {
    case "shopper":
      return keys.map((key) => `/api/shop/refund-photos/${photoIdOf(key)}`);
    case "merchant":
      return keys.map((_, i) => `/api/merchant/refunds/${refundId}/photos/${i + 1}`);
    case "supplier":
      return keys.map((_, i) => `/api/supplier/refunds/${refundId}/photos/${i + 1}`);
    case "platform":
      return keys.map((_, i) => `/api/platform/refunds/${refundId}/photos/${i + 1}`);
  }
}

/** The stored image, never cached by shared caches and never run as a document. */
export async function servePhoto(env: Env, key: string | undefined): Promise<Response> {
  const object = key ? await env.MEDIA.get(key) : null;
  if (!object) throw new AppError("not_found", "No such photo");
  const headers = new Headers();
  object.writeHttpMetadata(headers);
  headers.set("etag", object.httpEtag);
  headers.set("cache-control", PRIVATE_CACHE);
  headers.set("content-security-policy", "default-src 'none'");
  return new Response(object.body, { headers });
}
