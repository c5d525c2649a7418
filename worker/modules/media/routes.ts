/**
 * @module media/routes: uploading and removing product images (`/api/supplier/products/{id}/images`) and serving
 * every media key (`/api/media/<key>`), on the root host and on every shop host alike.
 */
import { AppError, validationError } from "../../errors";
import { createRoute, jsonOk, problems, router, z } from "../../lib/openapi";
import { requireOrg } from "../auth/identity";
import { ImageSchema } from "../catalog/schemas";
import { uploadRendition } from "./renditions";
import {
  ImageBody,
  ImageParams,
  ImageUploadParams,
  ImageUploadQuery,
  MediaQuery,
  RenditionBody,
  RenditionParams,
  RenditionSchema,
} from "./schemas";
import { deleteProductImage, keyFromPath, serveMedia, uploadProductImage } from "./service";

export const imageRoutes = router();
const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed", "api_key_invalid");
const tags = ["Supplier goods"];

imageRoutes.openapi(
  createRoute({
    method: "post",
    path: "/products/{id}/images",
    tags,
    summary: "Add an image (JPEG, PNG or WebP, at most 5 MB) as the product's last one",
    request: { params: ImageUploadParams, query: ImageUploadQuery, body: ImageBody },
    responses: {
      201: jsonOk(ImageSchema, "The stored image and its URL"),
      ...denied,
      ...problems(
        "validation_failed",
        "supplier_not_approved",
        "not_found",
        "image_limit_reached",
        "payload_too_large",
        "unsupported_media_type",
      ),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", { allowApiKey: true });
    const { id } = c.req.valid("param");
    const image = await uploadProductImage(c.env, actor.orgId, id, c.req.raw, c.req.valid("query").alt);
    c.header("location", image.url);
    return c.json(image, 201);
  },
);

imageRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/products/{id}/images/{imageId}",
    tags,
    summary: "Remove an image from a product",
    request: { params: ImageParams },
    responses: {
      204: { description: "Removed" },
      ...denied,
      ...problems("validation_failed", "supplier_not_approved", "not_found"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", { allowApiKey: true });
    const { id, imageId } = c.req.valid("param");
    await deleteProductImage(c.env, actor.orgId, id, imageId);
    return c.body(null, 204);
  },
);

imageRoutes.openapi(
  createRoute({
    method: "post",
    path: "/products/{id}/images/{imageId}/renditions/{width}",
    tags,
    summary: "Store a resized WebP copy of an image (320 or 800 px wide, at most 1 MB), served for `?w=`",
    request: { params: RenditionParams, body: RenditionBody },
    responses: {
      201: jsonOk(RenditionSchema, "The stored rendition and the URL that serves it"),
      ...denied,
      ...problems(
        "validation_failed",
        "supplier_not_approved",
        "not_found",
        "payload_too_large",
        "unsupported_media_type",
      ),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", { allowApiKey: true });
    const { id, imageId, width } = c.req.valid("param");
    return c.json(await uploadRendition(c.env, actor.orgId, id, imageId, width, c.req.raw), 201);
  },
);

export const mediaRoutes = router();

const MEDIA_PREFIX = "/api/media/";

mediaRoutes.get("/*", async (c) => {
  const path = new URL(c.req.url).pathname;
  const key = path.startsWith(MEDIA_PREFIX) ? keyFromPath(path.slice(MEDIA_PREFIX.length)) : undefined;
  if (!key) throw new AppError("not_found", "No such media key");
  const query = MediaQuery.safeParse({ w: c.req.query("w") });
  if (!query.success) throw validationError(query.error, "Query");
  return serveMedia(c.env, key, c.req.raw, query.data.w);
});

mediaRoutes.openAPIRegistry.registerPath({
  method: "get",
  path: "/{key}",
  tags: ["Media"],
  summary: "A product image or a generated placeholder (`placeholder/<hue>/<label>.svg`); immutable, with ETag",
  description:
    "`key` may contain slashes. `?w=N` serves the smallest stored rendition at least N wide, else the original " +
    "(cached for an hour only while a fitting rendition may still be uploaded); placeholders ignore it.",
  request: { params: z.object({ key: z.string() }), query: MediaQuery },
  responses: {
    200: { description: "The image bytes" },
    304: { description: "Not modified (If-None-Match matched the ETag)" },
    ...problems("validation_failed", "not_found"),
  },
});
