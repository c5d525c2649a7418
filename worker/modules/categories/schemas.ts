import { z } from "@hono/zod-openapi";

export const CategoryId = z.string().regex(/^cat_[0-9A-Za-z_]{1,60}$/, "Not a cat_ id");
export const CategoryParams = z.object({ id: CategoryId });

const NameZh = z.string().trim().min(1).max(30);
const NameEn = z.string().trim().min(1).max(60);
const Sort = z.number().int().min(-10_000).max(10_000);

export const CreateCategoryBody = z
  .strictObject({ parentId: CategoryId.nullable(), nameZh: NameZh, nameEn: NameEn, sort: Sort.default(0) })
  .openapi("CreateCategory");
export type CreateCategoryInput = z.infer<typeof CreateCategoryBody>;

export const UpdateCategoryBody = z
  .strictObject({ nameZh: NameZh.optional(), nameEn: NameEn.optional(), sort: Sort.optional() })
  .openapi("UpdateCategory");
export type UpdateCategoryInput = z.infer<typeof UpdateCategoryBody>;

export const CategorySchema = z
  .object({
    id: z.string(),
    parentId: z.string().nullable(),
    level: z.number().int().openapi({ description: "1 (top) to 3 (leaf, where goods go)" }),
    nameZh: z.string(),
    nameEn: z.string(),
    sort: z.number().int(),
    path: z.string().openapi({ description: "`/<ancestor ids>/<own id>/`" }),
  })
  .openapi("Category");

export interface CategoryNodeView extends z.infer<typeof CategorySchema> {
  children: CategoryNodeView[];
}

export const CategoryNodeSchema: z.ZodType<CategoryNodeView> = CategorySchema.extend({
  get children() {
    return z.array(CategoryNodeSchema);
  },
}).openapi("CategoryNode");
