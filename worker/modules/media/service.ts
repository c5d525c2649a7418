/**
 * @module media/service: product images (stored in R2, recorded by the catalog), the checks every image upload
 * passes, and serving `/api/media/<key>` — stored objects and drawn placeholders alike, both immutable and ETagged.
 */
import { AppError } from "../../errors";
import { newId, sha256Hex } from "../../lib/crypto";
import { MAX_IMAGE_BYTES } from "../../middleware/json-body";
import { log } from "../../middleware/request-log";
import { assertApprovedSupplier, findOwnProduct, forgetProductImage, recordProductImage } from "../catalog/service";
import { parsePlaceholder, placeholderSvg } from "./placeholder";
import { keysOfImage, PROVISIONAL, readStoredMedia } from "./renditions";
import { IMAGE_TYPES, type ImageType } from "./schemas";
import { IMMUTABLE, PUBLIC_PREFIXES, productImageKey, putImage, readCapped, sniffImageType } from "./storage";
import { PLACEHOLDER_PREFIX } from "./urls";

function imageType(contentType: string | undefined): ImageType {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  const known = IMAGE_TYPES.find((t) => t === type);
  if (!known) throw new AppError("unsupported_media_type", `Send ${IMAGE_TYPES.join(", ")}; got "${type || "(none)"}"`);
  return known;
}

/**
 * The upload's bytes and type once they pass every check: a declared image type, at most `max` bytes however the
 * body arrives, not empty, and magic bytes that match the declared type.
 * @example const { bytes, type } = await readImageUpload(c.req.raw, MAX_LOGO_BYTES)
 */
export async function readImageUpload(request: Request, max: number): Promise<{ bytes: Uint8Array; type: ImageType }> {
  const declared = imageType(request.headers.get("content-type") ?? undefined);
  const bytes = await readCapped(request, max);
  if (bytes.byteLength === 0) throw new AppError("validation_failed", "The image body is empty");
  const actual = sniffImageType(bytes);
  if (actual !== declared) {
    throw new AppError("unsupported_media_type", `The body is ${actual ?? "not a supported image"}, not ${declared}`);
  }
  return { bytes, type: declared };
}

/**
 * Stores the request body as the product's next image and records it; a failed record removes the object again.
 * @example await uploadProductImage(env, supplierId, productId, c.req.raw, "主图")
 */
export async function uploadProductImage(
  env: Env,
  supplierId: string,
  productId: string,
  request: Request,
  alt: string,
) {
  await assertApprovedSupplier(env.DB, supplierId);
  await findOwnProduct(env.DB, supplierId, productId);
  const { bytes, type: declared } = await readImageUpload(request, MAX_IMAGE_BYTES);
  const imageId = newId("img");
  const key = productImageKey(supplierId, productId, imageId);
  await putImage(env.MEDIA, key, bytes, declared);
  try {
    return await recordProductImage(env.DB, supplierId, productId, {
      id: imageId,
      r2Key: key,
      contentType: declared,
      alt,
    });
  } catch (error) {
    await env.MEDIA.delete(key);
    throw error;
  }
}

export async function deleteProductImage(env: Env, supplierId: string, productId: string, imageId: string) {
  await assertApprovedSupplier(env.DB, supplierId);
  await findOwnProduct(env.DB, supplierId, productId);
  const row = await forgetProductImage(env.DB, supplierId, productId, imageId);
  try {
    await env.MEDIA.delete(keysOfImage(row.r2Key));
  } catch (error) {
    // The row is gone, so nothing links to the object now; an orphan costs storage, not correctness.
    log("warn", "image object left behind", { key: row.r2Key, error: String(error) });
  }
}

/** The object key a media path names, or undefined for anything malformed (bad escapes, `..`, empty parts). */
export function keyFromPath(rest: string): string | undefined {
  const segments = rest.split("/");
  const decoded: string[] = [];
  for (const segment of segments) {
    let part: string;
    try {
      part = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (part === "" || part === "." || part === ".." || part.includes("/")) return undefined;
    decoded.push(part);
  }
  return decoded.join("/");
}

function notModified(request: Request, etag: string): boolean {
  const header = request.headers.get("if-none-match");
  return header?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag) ?? false;
}

const notFound = (key: string) => new AppError("not_found", `No media at ${key}`);

/**
 * A stored image (or its rendition closest to `width`, see renditions.ts) or a drawn placeholder, which ignores
 * `width`, with a strong ETag and a year of immutable caching.
 */
export async function serveMedia(env: Env, key: string, request: Request, width?: number): Promise<Response> {
  if (key.startsWith(PLACEHOLDER_PREFIX)) {
    const spec = parsePlaceholder(key.slice(PLACEHOLDER_PREFIX.length));
    if (!spec) throw notFound(key);
    const svg = placeholderSvg(spec);
    const etag = `"${(await sha256Hex(svg)).slice(0, 32)}"`;
    const headers = new Headers({
      "content-type": "image/svg+xml",
      "cache-control": IMMUTABLE,
      etag,
      // An SVG opened on its own is a document: it may carry no script and load nothing.
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
    });
    if (notModified(request, etag)) return new Response(null, { status: 304, headers });
    return new Response(svg, { headers });
  }
  if (!PUBLIC_PREFIXES.some((prefix) => key.startsWith(prefix))) throw notFound(key);
  const { object, provisional } = await readStoredMedia(env.MEDIA, key, width, request.headers);
  if (!object) throw notFound(key);
  const headers = new Headers();
  object.writeHttpMetadata(headers);
  headers.set("etag", object.httpEtag);
  headers.set("cache-control", provisional ? PROVISIONAL : IMMUTABLE);
  if (!("body" in object) || notModified(request, object.httpEtag)) return new Response(null, { status: 304, headers });
  return new Response(object.body, { headers });
}
