import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type Session, unique } from "../helpers";
import { approvedSupplierAs, categoryChain, createCategoryAs, createProductAs, sharedAdmin } from "../support/catalog";
import { expectCode } from "../support/problems";

let admin: Session;

beforeAll(async () => {
  admin = await sharedAdmin();
});

function create(body: unknown) {
  return call("/api/platform/categories", { session: admin, body });
}

describe("adding a category that does not fit", () => {
  it("a fourth level is 422 category_too_deep and nothing is stored", async () => {
    const { leafId } = await categoryChain();
    const name = unique("第四级");
    const problem = await expectCode(
      await create({ parentId: leafId, nameZh: name, nameEn: "Too deep" }),
      422,
      "category_too_deep",
    );
    expect(problem.detail).toContain("level 3");
    expect(await env.DB.prepare("SELECT 1 FROM categories WHERE name_zh = ?").bind(name).first()).toBeNull();
  });

  it("an unknown parent is 422 unknown_category", async () => {
    await expectCode(
      await create({ parentId: "cat_nothere", nameZh: "孤儿", nameEn: "Orphan" }),
      422,
      "unknown_category",
    );
  });

  it("a sibling with the same Chinese name is 409 category_name_taken", async () => {
    const top = await createCategoryAs(admin, null);
    await createCategoryAs(admin, top, "同名");
    await expectCode(await create({ parentId: top, nameZh: "同名", nameEn: "Same" }), 409, "category_name_taken");
  });

  it.each([
    ["a missing English name", { parentId: null, nameZh: "缺英文" }, "nameEn"],
    ["a blank Chinese name", { parentId: null, nameZh: "   ", nameEn: "Blank" }, "nameZh"],
    ["a name over 30 characters", { parentId: null, nameZh: "长".repeat(31), nameEn: "Long" }, "nameZh"],
    ["a fractional sort", { parentId: null, nameZh: "小数", nameEn: "Frac", sort: 1.5 }, "sort"],
    ["parentId left out (null must be explicit)", { nameZh: "无父", nameEn: "No parent" }, "parentId"],
    ["a parent id that is not a cat_ id", { parentId: "prd_x", nameZh: "错", nameEn: "Wrong" }, "parentId"],
    ["an unknown field", { parentId: null, nameZh: "多余", nameEn: "Extra", level: 1 }, ""],
  ])("%s is 400 validation_failed naming the field", async (_, body, path) => {
    const problem = await expectCode(await create(body), 400, "validation_failed");
    expect(problem.issues?.map((i) => i.path)).toContain(path);
  });

  it("a body that is not JSON is 400 malformed_json", async () => {
    await expectCode(await create("{nameZh:"), 400, "malformed_json");
  });
});

describe("changing or deleting what cannot be", () => {
  it("deleting a category with subcategories is 409 category_in_use and keeps it", async () => {
    const { topId } = await categoryChain();
    const problem = await expectCode(
      await call(`/api/platform/categories/${topId}`, { method: "DELETE", session: admin }),
      409,
      "category_in_use",
    );
    expect(problem.children).toBe(1);
    expect(await env.DB.prepare("SELECT 1 FROM categories WHERE id = ?").bind(topId).first()).not.toBeNull();
  });

  it("deleting a leaf that holds products is 409 category_in_use", async () => {
    const { leafId } = await categoryChain();
    await createProductAs(await approvedSupplierAs(), { categoryId: leafId });
    const problem = await expectCode(
      await call(`/api/platform/categories/${leafId}`, { method: "DELETE", session: admin }),
      409,
      "category_in_use",
    );
    expect(problem.products).toBe(1);
  });

  it("PATCH and DELETE of an unknown category are 404 not_found", async () => {
    await expectCode(
      await call("/api/platform/categories/cat_nothere", { method: "PATCH", session: admin, body: { sort: 1 } }),
      404,
      "not_found",
    );
    await expectCode(
      await call("/api/platform/categories/cat_nothere", { method: "DELETE", session: admin }),
      404,
      "not_found",
    );
  });

  it("renaming to a sibling's name is 409 category_name_taken", async () => {
    const top = await createCategoryAs(admin, null);
    await createCategoryAs(admin, top, "甲");
    const second = await createCategoryAs(admin, top, "乙");
    await expectCode(
      await call(`/api/platform/categories/${second}`, { method: "PATCH", session: admin, body: { nameZh: "甲" } }),
      409,
      "category_name_taken",
    );
  });

  it("moving a category (parentId in a PATCH) is refused as an unknown field", async () => {
    const top = await createCategoryAs(admin, null);
    const problem = await expectCode(
      await call(`/api/platform/categories/${top}`, { method: "PATCH", session: admin, body: { parentId: null } }),
      400,
      "validation_failed",
    );
    expect(problem.issues?.length).toBeGreaterThan(0);
  });

  it("a malformed id in the path is 400 validation_failed", async () => {
    await expectCode(
      await call("/api/platform/categories/not-an-id", { method: "DELETE", session: admin }),
      400,
      "validation_failed",
    );
  });
});
