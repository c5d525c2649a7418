/**
 * @module json-body: unsafe requests carry JSON or nothing; bad bodies become problems before any handler runs.
 */
import { createMiddleware } from "hono/factory";
import { AppError } from "../errors";
import type { AppEnv } from "../types";

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;
export const MAX_BODY_BYTES = 1_000_000;

export const jsonBodyMiddleware = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
  const declared = Number(c.req.header("content-length") ?? "0");
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
