/**
 * @module imports/routes: `/api/supplier/imports` — bulk product import from CSV, for the console (session) and
 * integrations (`Bearer sk_sup_…`). Another supplier's import is 404, exactly like a missing one.
 */
import { AppError } from "../../errors";
import { createRoute, jsonOk, problems, router, z } from "../../lib/openapi";
import { MAX_IMPORT_BYTES } from "../../middleware/json-body";
import { requireOrg } from "../auth/identity";
import EXAMPLE_CSV from "./example.csv?raw";
import { ErrorPageSchema, ErrorsQuery, ImportParams, ImportSchema, ListImportsQuery } from "./schemas";
import { errorReportCsv, importErrors, importProgress, listOwnImports, startImport } from "./service";

export const importRoutes = router();
const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed", "api_key_invalid");
const tags = ["Supplier imports"];
const supplier = { allowApiKey: true } as const;

function csvResponse(body: string, filename: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
}

// Registered before `/imports/{id}` so the file name is never read as an import id.
importRoutes.openapi(
  createRoute({
    method: "get",
    path: "/imports/example.csv",
    tags,
    summary: "An example import file: every column, a product with a 2 × 2 SKU matrix, quoted fields",
    responses: {
      200: { description: "UTF-8 CSV", content: { "text/csv": { schema: z.string() } } },
      ...denied,
    },
  }),
  async (c) => {
    requireOrg(c, "supplier", supplier);
    return csvResponse(EXAMPLE_CSV, "products-import-example.csv");
  },
);

importRoutes.openapi(
  createRoute({
    method: "post",
    path: "/imports",
    tags,
    summary: "Upload a CSV of products and SKUs; rows are checked and applied in the background",
    description:
      `The raw file as \`text/csv\` (UTF-8, a BOM is fine, at most ${MAX_IMPORT_BYTES} bytes). The file's shape is ` +
      "checked at once (header, CSV syntax, one product's rows together); each row is validated while the import " +
      "runs, and errors are listed per row. Rows whose sku_code exists update that SKU instead of creating another.",
    request: {
      body: {
        content: { "text/csv": { schema: z.string().openapi({ format: "binary" }) } },
        required: true,
      },
    },
    responses: {
      202: jsonOk(ImportSchema, "Queued; poll GET /api/supplier/imports/{id} for progress"),
      ...denied,
      ...problems("import_file_invalid", "supplier_not_approved", "payload_too_large", "unsupported_media_type"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    const body = await c.req.arrayBuffer();
    if (body.byteLength === 0) throw new AppError("import_file_invalid", "文件是空的 (empty_file)");
    const started = await startImport(c.env, actor, body);
    c.header("location", `/api/supplier/imports/${started.id}`);
    return c.json(started, 202);
  },
);

importRoutes.openapi(
  createRoute({
    method: "get",
    path: "/imports",
    tags,
    summary: "This supplier's imports, newest first",
    request: { query: ListImportsQuery },
    responses: {
      200: jsonOk(z.object({ items: z.array(ImportSchema) }), "Newest first"),
      ...denied,
      ...problems("validation_failed"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    return c.json({ items: await listOwnImports(c.env.DB, actor.orgId, c.req.valid("query").limit) }, 200);
  },
);

importRoutes.openapi(
  createRoute({
    method: "get",
    path: "/imports/{id}",
    tags,
    summary: "An import's progress: rows in total and processed, percent, created/updated/error counts, status",
    request: { params: ImportParams },
    responses: {
      200: jsonOk(ImportSchema, "Progress"),
      ...denied,
      ...problems("validation_failed", "not_found"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    return c.json(await importProgress(c.env.DB, actor.orgId, c.req.valid("param").id), 200);
  },
);

importRoutes.openapi(
  createRoute({
    method: "get",
    path: "/imports/{id}/errors",
    tags,
    summary: "An import's row errors, by row number; `?format=csv` downloads them all as a report",
    request: { params: ImportParams, query: ErrorsQuery },
    responses: {
      200: {
        description: "A page of errors (JSON), or the whole report (CSV)",
        content: {
          "application/json": { schema: ErrorPageSchema },
          "text/csv": { schema: z.string() },
        },
      },
      ...denied,
      ...problems("validation_failed", "not_found"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    const { id } = c.req.valid("param");
    const { page, pageSize, format } = c.req.valid("query");
    if (format === "csv")
      return csvResponse(await errorReportCsv(c.env.DB, actor.orgId, id), `import-${id}-errors.csv`);
    return c.json(await importErrors(c.env.DB, actor.orgId, id, page, pageSize), 200);
  },
);
