/**
 * @module categories/routes: `GET /api/categories` (public, the whole tree) and the platform's
 * `/api/platform/categories` writes.
 */
import { createRoute, jsonBody, jsonOk, problems, router, z } from "../../lib/openapi";
import { requirePlatformAdmin } from "../auth/identity";
import { CategoryNodeSchema, CategoryParams, CategorySchema, CreateCategoryBody, UpdateCategoryBody } from "./schemas";
import { categoryTree, createCategory, deleteCategory, updateCategory } from "./service";

export const categoryRoutes = router();
const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed");
const tags = ["Categories"];

function publicView({ id, parentId, level, nameZh, nameEn, sort, path }: z.infer<typeof CategorySchema>) {
  return { id, parentId, level, nameZh, nameEn, sort, path };
}

categoryRoutes.openapi(
  createRoute({
    method: "get",
    path: "/categories",
    tags,
    summary: "The whole category tree, nested, with Chinese and English names",
    responses: { 200: jsonOk(z.object({ items: z.array(CategoryNodeSchema) }), "Top level first, by sort") },
  }),
  async (c) => c.json({ items: await categoryTree(c.env.DB) }, 200),
);

categoryRoutes.openapi(
  createRoute({
    method: "post",
    path: "/platform/categories",
    tags,
    summary: "Add a category (at most three levels)",
    request: { body: jsonBody(CreateCategoryBody) },
    responses: {
      201: jsonOk(CategorySchema, "The new category"),
      ...denied,
      ...problems("validation_failed", "unknown_category", "category_too_deep", "category_name_taken"),
    },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    return c.json(publicView(await createCategory(c.env.DB, c.req.valid("json"))), 201);
  },
);

categoryRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/platform/categories/{id}",
    tags,
    summary: "Rename or re-sort a category",
    request: { params: CategoryParams, body: jsonBody(UpdateCategoryBody) },
    responses: {
      200: jsonOk(CategorySchema, "The category after the change"),
      ...denied,
      ...problems("validation_failed", "not_found", "category_name_taken"),
    },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    const row = await updateCategory(c.env.DB, c.req.valid("param").id, c.req.valid("json"));
    return c.json(publicView(row), 200);
  },
);

categoryRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/platform/categories/{id}",
    tags,
    summary: "Delete a category that has no subcategories and no products",
    request: { params: CategoryParams },
    responses: {
      204: { description: "Deleted" },
      ...denied,
      ...problems("validation_failed", "not_found", "category_in_use"),
    },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    await deleteCategory(c.env.DB, c.req.valid("param").id);
    return c.body(null, 204);
  },
);
