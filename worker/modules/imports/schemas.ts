import { z } from "@hono/zod-openapi";

export const ImportId = z.string().regex(/^imp_[0-9A-Za-z_]{1,60}$/, "Not an imp_ id");
export const ImportParams = z.object({ id: ImportId });

export const ImportSchema = z
  .object({
    id: z.string(),
    status: z.enum(["queued", "processing", "done", "failed"]),
    totalRows: z.number().int(),
    processedRows: z.number().int(),
    percent: z.number().int().openapi({ description: "processedRows ÷ totalRows, 0–100, rounded down" }),
    createdCount: z.number().int().openapi({ description: "Rows that created a SKU (with its product)" }),
    updatedCount: z.number().int().openapi({ description: "Rows that matched an existing SKU by code" }),
    errorCount: z.number().int().openapi({ description: "Rows with at least one error" }),
    failureReason: z.string().nullable(),
    createdAtMs: z.number(),
    finishedAtMs: z.number().nullable(),
  })
  .openapi("Import");
export type ImportView = z.infer<typeof ImportSchema>;

export const ImportErrorSchema = z
  .object({
    row: z.number().int().openapi({ description: "Row number as a spreadsheet shows it (the header is row 1)" }),
    column: z.string(),
    message: z.string(),
  })
  .openapi("ImportError");

export const ErrorsQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  format: z.enum(["json", "csv"]).default("json"),
});

export const ErrorPageSchema = z
  .object({
    items: z.array(ImportErrorSchema),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
  })
  .openapi("ImportErrorPage");

// Fifty keeps the failure-reason lookup (one bound parameter per listed import) inside D1's 100 per statement.
export const ListImportsQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).default(20) });
