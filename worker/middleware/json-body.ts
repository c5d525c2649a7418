/**
 * @module json-body: unsafe requests carry JSON or nothing; bad bodies become problems before any handler runs.
 */
import { createMiddleware } from "hono/factory";
import { AppError } from "../errors";
import type { AppEnv } from "../types";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
export const MAX_BODY_BYTES = 1_000_000;
/** Product image uploads take raw bytes, and read and cap their own body. */
const IMAGE_UPLOAD_PATH = /^\/api\/supplier\/products\/[^/]+\/images$/;
const IMAGE_TYPE = /^image\/(jpeg|png|webp)$/i;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Resized renditions of a product image come from the console's canvas, so they are small WebP files. */
const RENDITION_UPLOAD_PATH = /^\/api\/supplier\/products\/[^/]+\/images\/[^/]+\/renditions\/[^/]+$/;
export const MAX_RENDITION_BYTES = 1024 * 1024;
/** The shop logo upload takes raw image bytes the same way, with a smaller cap: it is shown small in the header. */
const LOGO_UPLOAD_PATH = /^\/api\/merchant\/logo$/;
export const MAX_LOGO_BYTES = 2 * 1024 * 1024;
/** A shopper's refund photo (售后) is raw image bytes too, with the product image cap. */
const REFUND_PHOTO_PATH = /^\/api\/shop\/refund-photos$/;
/** CSV product imports likewise take the raw file; any other type on that path is refused here. */
const IMPORT_UPLOAD_PATH = /^\/api\/supplier\/imports$/;
const CSV_TYPE = /^text\/csv$/i;
export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;

export const jsonBodyMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
  const declared = Number(c.req.header("content-length") ?? "0");
  const declaredType = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
  if (c.req.method === "POST" && IMAGE_UPLOAD_PATH.test(c.req.path) && IMAGE_TYPE.test(declaredType)) {
    if (declared > MAX_IMAGE_BYTES)
      throw new AppError("payload_too_large", `Images are at most ${MAX_IMAGE_BYTES} bytes`);
    return next();
  }
  if (c.req.method === "POST" && LOGO_UPLOAD_PATH.test(c.req.path) && IMAGE_TYPE.test(declaredType)) {
    if (declared > MAX_LOGO_BYTES) throw new AppError("payload_too_large", `Logos are at most ${MAX_LOGO_BYTES} bytes`);
    return next();
  }
  if (c.req.method === "POST" && RENDITION_UPLOAD_PATH.test(c.req.path) && IMAGE_TYPE.test(declaredType)) {
    if (declared > MAX_RENDITION_BYTES) {
      throw new AppError("payload_too_large", `Renditions are at most ${MAX_RENDITION_BYTES} bytes`);
    }
    return next();
  }
  if (c.req.method === "POST" && REFUND_PHOTO_PATH.test(c.req.path) && IMAGE_TYPE.test(declaredType)) {
    if (declared > MAX_IMAGE_BYTES)
      throw new AppError("payload_too_large", `Photos are at most ${MAX_IMAGE_BYTES} bytes`);
    return next();
  }
  if (c.req.method === "POST" && IMPORT_UPLOAD_PATH.test(c.req.path)) {
    if (!CSV_TYPE.test(declaredType)) {
      throw new AppError("unsupported_media_type", `Send the file as text/csv, not "${declaredType || "(none)"}"`);
    }
    if (declared > MAX_IMPORT_BYTES) {
      throw new AppError("payload_too_large", `Import files are at most ${MAX_IMPORT_BYTES} bytes`);
    }
    return next();
  }
  if (declared > MAX_BODY_BYTES) throw new AppError("payload_too_large", `Body exceeds ${MAX_BODY_BYTES} bytes`);
  const text = await c.req.text();
  if (text.length === 0) return next();
  if (new TextEncoder().encode(text).byteLength > MAX_BODY_BYTES) {
    throw new AppError("payload_too_large", `Body exceeds ${MAX_BODY_BYTES} bytes`);
  }
  const mediaType = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
  if (!JSON_TYPE.test(mediaType)) {
    throw new AppError("unsupported_media_type", `Content-Type "${mediaType || "(none)"}" is not JSON`);
  }
  try {
    JSON.parse(text);
  } catch (error) {
    throw new AppError("malformed_json", error instanceof Error ? error.message : "Body is not JSON");
  }
  await next();
});
