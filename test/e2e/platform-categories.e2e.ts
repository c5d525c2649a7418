/**
 * The platform's category tree as an operator meets it, in real headless Chromium against the built Worker with the
 * demo data: a level-3 category added under an existing level-2 one, renamed, and deleted, and a category that
 * still has subcategories refusing to go.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser, Locator, Page } from "playwright-core";
import { launchBrowser } from "./browser.ts";
import { type RunningServer, startServer } from "./server.ts";

let server: RunningServer;
let browser: Browser;
let page: Page;

const stamp = String(Date.now()).slice(-6);
const added = `端到端类目${stamp}`;
const renamed = `端到端改名${stamp}`;

before(async () => {
  server = await startServer(8794);
  browser = await launchBrowser();
  page = await browser.newPage();
  await page.goto(`${server.origin()}/sign-in?next=/platform/categories`);
  await page.getByLabel(/邮箱|Email/).fill("admin@demo.local");
  await page.getByLabel(/密码|Password/).fill("demo-password-2026");
  await Promise.all([
    page.waitForURL(`${server.origin()}/platform/categories`),
    page.locator("form#sign-in button[type=submit]").click(),
  ]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The leaf named `name`, wherever it is in the tree. */
function leaf(name: string): Locator {
  return page.locator(`li[data-level="3"][data-name-zh="${name}"]`);
}

/** The node's own buttons, not those of its children. */
function action(node: Locator, kind: "add" | "edit" | "delete"): Locator {
  return node
    .locator(`:scope > details > .node-actions, :scope > .leaf > .node-actions`)
    .locator(`[data-action="${kind}"]`);
}

test("the tree lists the demo's ten top-level categories, closed, with Chinese and English names", async () => {
  assert.match((await page.locator("h1").textContent()) ?? "", /类目管理/);
  assert.equal(await page.locator("#tree > li").count(), 10);
  assert.equal(await page.locator("#tree details[open]").count(), 0);
  assert.match((await page.locator("#tree > li summary").first().textContent()) ?? "", /\S+ \/ \S+/);
});

test("a level-3 category added under a level-2 one is in the tree after the reload", async () => {
  const top = page.locator("#tree > li").first();
  await top.locator(":scope > details > summary").click();
  const parent = top.locator('li[data-level="2"]').first();
  const parentId = await parent.getAttribute("data-id");
  await parent.locator(":scope > details > summary").click();
  await action(parent, "add").click();
  const form = parent.locator("form.node-form");
  assert.equal(await action(parent, "add").getAttribute("aria-expanded"), "true");
  await form.getByLabel("中文名称").fill(added);
  await form.getByLabel("英文名称").fill("E2E category");
  await form.getByLabel(/排序/).fill("99");
  await Promise.all([page.waitForEvent("load"), form.getByRole("button", { name: "添加" }).click()]);

  const node = leaf(added);
  await node.waitFor();
  assert.ok(await node.isVisible(), "the branch of the new category is open after the reload");
  assert.equal(await node.evaluate((li) => li.parentElement?.closest("li")?.dataset.id), parentId);
  assert.match((await node.textContent()) ?? "", /E2E category[\s\S]*排序 99/);
  await page
    .locator("#tree-status")
    .filter({ hasText: `已添加「${added}」` })
    .waitFor();
});

test("renaming the new category changes its names and sort in place", async () => {
  await action(leaf(added), "edit").click();
  const form = leaf(added).locator("form.node-form");
  assert.equal(await form.getByLabel("中文名称").inputValue(), added);
  await form.getByLabel("中文名称").fill(renamed);
  await form.getByLabel("英文名称").fill("E2E renamed");
  await form.getByLabel(/排序/).fill("5");
  await Promise.all([page.waitForEvent("load"), form.getByRole("button", { name: "保存" }).click()]);

  await leaf(renamed).waitFor();
  assert.equal(await leaf(added).count(), 0);
  assert.match((await leaf(renamed).textContent()) ?? "", /E2E renamed[\s\S]*排序 5/);
});

test("Escape closes a rename form and gives the focus back to its button", async () => {
  const edit = action(leaf(renamed), "edit");
  await edit.click();
  await leaf(renamed).getByLabel("中文名称").press("Escape");
  assert.equal(await leaf(renamed).locator("form").count(), 0);
  assert.equal(await edit.evaluate((button) => button.matches(":focus")), true);
});

test("a category with subcategories is refused with a message in the live region", async () => {
  const parent = page.locator('li[data-level="2"]').filter({ has: leaf(renamed) });
  page.once("dialog", (dialog) => void dialog.accept());
  await action(parent, "delete").click();
  await page.locator("#tree-status").filter({ hasText: "不能删除" }).waitFor();
  assert.equal(await parent.count(), 1);
});

test("deleting the new category after confirming removes it from the tree", async () => {
  page.once("dialog", (dialog) => {
    assert.match(dialog.message(), new RegExp(renamed));
    void dialog.accept();
  });
  await Promise.all([page.waitForEvent("load"), action(leaf(renamed), "delete").click()]);
  await page
    .locator("#tree-status")
    .filter({ hasText: `已删除「${renamed}」` })
    .waitFor();
  assert.equal(await leaf(renamed).count(), 0);
});
