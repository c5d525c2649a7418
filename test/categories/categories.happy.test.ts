import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { categoryTree, findCategory, isLeaf, subtreeIds } from "../../worker/modules/categories/service";
import { call, type Session, unique } from "../helpers";
import { approvedSupplierAs, createCategoryAs, createProductAs, searchIds, sharedAdmin } from "../support/catalog";
import { openShop } from "../support/tenants";

interface Node {
  id: string;
  parentId: string | null;
  level: number;
  nameZh: string;
  nameEn: string;
  sort: number;
  path: string;
  children: Node[];
}

let admin: Session;

beforeAll(async () => {
  admin = await sharedAdmin();
});

async function tree(): Promise<Node[]> {
  const res = await call("/api/categories");
  expect(res.status).toBe(200);
  return (await res.json<{ items: Node[] }>()).items;
}

describe("building the tree", () => {
  it("three levels nest under each other, each path extending its parent's", async () => {
    const top = await createCategoryAs(admin, null, unique("食品"));
    const mid = await createCategoryAs(admin, top, unique("水果"));
    const leaf = await createCategoryAs(admin, mid, unique("柑橘"));
    const node = (await tree()).find((n) => n.id === top);
    expect(node?.level).toBe(1);
    expect(node?.path).toBe(`/${top}/`);
    expect(node?.children[0]?.id).toBe(mid);
    expect(node?.children[0]?.path).toBe(`/${top}/${mid}/`);
    expect(node?.children[0]?.children[0]).toMatchObject({ id: leaf, level: 3, path: `/${top}/${mid}/${leaf}/` });
  });

  it("a new category answers 201 with both names and its sort", async () => {
    const res = await call("/api/platform/categories", {
      session: admin,
      body: { parentId: null, nameZh: "  母婴  ", nameEn: "Mother & baby", sort: 7 },
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ nameZh: "母婴", nameEn: "Mother & baby", sort: 7, level: 1 });
  });

  it("siblings are listed by sort, whatever order they were created in", async () => {
    const top = await createCategoryAs(admin, null);
    const second = await createCategoryAs(admin, top, "第二", { sort: 20 });
    const first = await createCategoryAs(admin, top, "第一", { sort: 10 });
    const third = await createCategoryAs(admin, top, "第三", { sort: 30 });
    const node = (await tree()).find((n) => n.id === top);
    expect(node?.children.map((c) => c.id)).toEqual([first, second, third]);
  });

  it("anyone can read the tree, on the root host and on a shop's host alike", async () => {
    const top = await createCategoryAs(admin, null);
    const shop = await openShop();
    const onShop = await call("/api/categories", { host: shop.host });
    expect(onShop.status).toBe(200);
    const items = (await onShop.json<{ items: Node[] }>()).items;
    expect(items.some((n) => n.id === top)).toBe(true);
    expect(items).toEqual(await tree());
  });
});

describe("changing the tree", () => {
  it("a rename and a new sort show in the tree", async () => {
    const top = await createCategoryAs(admin, null, unique("旧名"));
    const res = await call(`/api/platform/categories/${top}`, {
      method: "PATCH",
      session: admin,
      body: { nameZh: "新名字", nameEn: "New name", sort: -5 },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: top, nameZh: "新名字", nameEn: "New name", sort: -5 });
    expect((await tree()).find((n) => n.id === top)).toMatchObject({ nameZh: "新名字", sort: -5 });
  });

  it("renaming a leaf makes its goods findable by the new name and no longer by the old one", async () => {
    const top = await createCategoryAs(admin, null);
    const mid = await createCategoryAs(admin, top);
    const leaf = await createCategoryAs(admin, mid, "口红唇膏", { nameEn: "Lipstick" });
    const supplier = await approvedSupplierAs();
    const { productId } = await createProductAs(supplier, { categoryId: leaf, titleZh: "丝绒哑光" });
    expect(await searchIds("口红")).toContain(productId);
    const res = await call(`/api/platform/categories/${leaf}`, {
      method: "PATCH",
      session: admin,
      body: { nameZh: "唇釉" },
    });
    expect(res.status).toBe(200);
    expect(await searchIds("唇釉")).toContain(productId);
    expect(await searchIds("口红")).not.toContain(productId);
  });

  it("an empty leaf can be deleted and is gone from the tree", async () => {
    const top = await createCategoryAs(admin, null);
    const res = await call(`/api/platform/categories/${top}`, { method: "DELETE", session: admin });
    expect(res.status).toBe(204);
    expect((await tree()).some((n) => n.id === top)).toBe(false);
    expect(await env.DB.prepare("SELECT 1 FROM categories WHERE id = ?").bind(top).first()).toBeNull();
  });
});

describe("service functions other modules use", () => {
  it("subtreeIds returns a category and everything below it, and nothing beside it", async () => {
    const top = await createCategoryAs(admin, null);
    const midA = await createCategoryAs(admin, top);
    const midB = await createCategoryAs(admin, top);
    const leafA = await createCategoryAs(admin, midA);
    const leafB = await createCategoryAs(admin, midB);
    const other = await createCategoryAs(admin, null);
    expect((await subtreeIds(env.DB, top)).sort()).toEqual([top, midA, midB, leafA, leafB].sort());
    expect((await subtreeIds(env.DB, midA)).sort()).toEqual([midA, leafA].sort());
    expect(await subtreeIds(env.DB, other)).toEqual([other]);
    expect(await subtreeIds(env.DB, "cat_missing")).toEqual([]);
  });

  it("an id with underscores is not a LIKE wildcard: cat_a's subtree does not take catXa's", async () => {
    const top = await createCategoryAs(admin, null);
    const row = await findCategory(env.DB, top);
    const lookalike = `/${top.replace("_", "X")}/`;
    await env.DB.prepare(
      "INSERT INTO categories (id, parent_id, level, name_zh, name_en, sort, path, created_at_ms) VALUES (?, NULL, 1, ?, 'x', 0, ?, 0)",
    )
      .bind(top.replace("_", "X"), unique("伪"), lookalike)
      .run();
    expect(row?.path).toBe(`/${top}/`);
    expect(await subtreeIds(env.DB, top)).toEqual([top]);
  });

  it("findCategory, isLeaf and categoryTree agree with the API", async () => {
    const top = await createCategoryAs(admin, null);
    const mid = await createCategoryAs(admin, top);
    const leaf = await createCategoryAs(admin, mid);
    const [topRow, leafRow] = await Promise.all([findCategory(env.DB, top), findCategory(env.DB, leaf)]);
    expect(topRow && isLeaf(topRow)).toBe(false);
    expect(leafRow && isLeaf(leafRow)).toBe(true);
    expect(await findCategory(env.DB, "cat_missing")).toBeUndefined();
    const fromService = await categoryTree(env.DB);
    expect(fromService).toEqual(await tree());
  });
});
