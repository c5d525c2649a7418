/**
 * @module imports/plan: what the upload does before anything is queued — decode the file (UTF-8, BOM tolerated),
 * read it once, check its shape, count its rows and cut it into chunks of about 200 rows. A chunk never splits a
 * product, and carries the byte range of its rows so its consumer reads only that slice of the file from R2.
 */
import type { ProblemIssue } from "../../errors";
import { type Column, readHeader } from "./columns";
import { CsvReader, type CsvRecord, CsvSyntaxError, isBlank, utf8Length } from "./csv";

export const CHUNK_ROWS = 200;
/**
 * Creating a product costs the catalog about 7 D1 queries and an invocation may make 1,000: a chunk of 200
 * one-SKU products would not fit, so a chunk also ends after this many products.
 */
export const CHUNK_PRODUCTS = 80;
/** The catalog's limit of SKUs per product; a larger group could never import and would make an oversized chunk. */
export const MAX_ROWS_PER_PRODUCT = 200;
const BOM = [0xef, 0xbb, 0xbf];

export interface ChunkPlan {
  /** First and last row numbers (header = row 1), inclusive. */
  fromRow: number;
  toRow: number;
  byteStart: number;
  byteEnd: number;
}

export interface ImportPlan {
  /** The header occupies bytes [0, headerEnd). */
  headerEnd: number;
  totalRows: number;
  chunks: ChunkPlan[];
}

export type PlanResult = { ok: true; plan: ImportPlan } | { ok: false; message: string; issues: ProblemIssue[] };

function refuse(message: string, issues: ProblemIssue[] = []): PlanResult {
  return { ok: false, message, issues };
}

export function hasBom(bytes: Uint8Array): boolean {
  return BOM.every((b, i) => bytes[i] === b);
}

/** Decodes strict UTF-8 (dropping a BOM), or undefined when the bytes are not UTF-8 (e.g. a GBK export). */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** Text is fed to the reader in slices, so only one slice's records are alive at a time (10 MB ≈ 100k rows). */
const SLICE = 1 << 16;
const MAX_ISSUES = 20;

/** Follows the records of one file, cutting chunks and noting shape problems as it goes. */
class Planner {
  private readonly text: string;
  private readonly codeIndex: number;
  private readonly chunkRows: number;
  private readonly chunkProducts: number;
  private readonly chunks: ChunkPlan[] = [];
  private readonly issues: ProblemIssue[] = [];
  private readonly finished = new Set<string>();
  private readonly groupSizes = new Map<string, number>();
  private charAt = 0;
  private byteAt: number;
  private headerEnd: number | undefined;
  private chunkStart: CsvRecord | undefined;
  private previous: CsvRecord | undefined;
  private rowsInChunk = 0;
  private productsInChunk = 0;
  private lastCode: string | undefined;
  private totalRows = 0;

  constructor(text: string, bom: boolean, codeIndex: number, chunkRows: number, chunkProducts: number) {
    this.text = text;
    // Offsets are in UTF-16 code units of `text`; a BOM was dropped by the decoder but is still in the stored bytes.
    this.byteAt = bom ? BOM.length : 0;
    this.codeIndex = codeIndex;
    this.chunkRows = chunkRows;
    this.chunkProducts = chunkProducts;
  }

  /** Byte offset of a character offset; called with offsets that never go backwards. */
  private byteOffset(char: number): number {
    this.byteAt += utf8Length(this.text.slice(this.charAt, char));
    this.charAt = char;
    return this.byteAt;
  }

  private close(nextStart: number, last: CsvRecord): void {
    if (!this.chunkStart) return;
    this.chunks.push({
      fromRow: this.chunkStart.row,
      toRow: last.row,
      byteStart: this.byteOffset(this.chunkStart.start),
      byteEnd: this.byteOffset(nextStart),
    });
    this.chunkStart = undefined;
    this.rowsInChunk = 0;
    this.productsInChunk = 0;
  }

  add(record: CsvRecord): void {
    this.headerEnd ??= this.byteOffset(record.start);
    if (!isBlank(record)) {
      const code = record.fields[this.codeIndex]?.trim() ?? "";
      if (code !== this.lastCode) {
        if (this.lastCode !== undefined) this.finished.add(this.lastCode);
        if (code !== "" && this.finished.has(code) && this.issues.length < MAX_ISSUES) {
          this.issues.push({
            path: `row ${record.row}`,
            message: `product_code「${code}」的行必须连在一起`,
            code: "product_rows_apart",
          });
        }
        const full = this.rowsInChunk >= this.chunkRows || this.productsInChunk >= this.chunkProducts;
        if (full && this.previous) this.close(record.start, this.previous);
        this.lastCode = code;
        this.productsInChunk += 1;
      }
      this.groupSizes.set(code, (this.groupSizes.get(code) ?? 0) + 1);
      this.totalRows += 1;
      this.rowsInChunk += 1;
    }
    this.chunkStart ??= record;
    this.previous = record;
  }

  finish(): PlanResult {
    const headerEnd = this.headerEnd ?? this.byteOffset(this.text.length);
    if (this.previous) this.close(this.text.length, this.previous);
    for (const [code, size] of this.groupSizes) {
      if (code !== "" && size > MAX_ROWS_PER_PRODUCT && this.issues.length < MAX_ISSUES) {
        this.issues.push({
          path: `product_code ${code}`,
          message: `product_code「${code}」有 ${size} 行；一个商品最多 ${MAX_ROWS_PER_PRODUCT} 个 SKU`,
          code: "product_too_large",
        });
      }
    }
    const [first] = this.issues;
    if (first) return refuse(`文件结构有问题，未开始导入：${first.message} (file_structure)`, this.issues);
    if (this.totalRows === 0) return refuse("文件只有表头，没有数据行 (no_rows)");
    return { ok: true, plan: { headerEnd, totalRows: this.totalRows, chunks: this.chunks } };
  }
}

/** Reads the whole file once and plans its chunks; refuses files whose shape no row-by-row report could fix. */
export function planImport(bytes: Uint8Array, chunkRows = CHUNK_ROWS, chunkProducts = CHUNK_PRODUCTS): PlanResult {
  const text = decodeUtf8(bytes);
  if (text === undefined) return refuse("文件不是 UTF-8 编码；请在 Excel 中另存为「CSV UTF-8」(not_utf8)");
  const reader = new CsvReader();
  let planner: Planner | undefined;
  /** Feeds records to the planner, reading the header first; a header it cannot use ends the plan. */
  const take = (records: CsvRecord[]): PlanResult | undefined => {
    for (const record of records) {
      if (planner) {
        planner.add(record);
        continue;
      }
      const columns = readHeader(record.fields);
      if (!columns.ok) return refuse(columns.message);
      const codeIndex = columns.index.get("product_code" satisfies Column) ?? 0;
      planner = new Planner(text, hasBom(bytes), codeIndex, chunkRows, chunkProducts);
    }
    return undefined;
  };
  try {
    for (let i = 0; i < text.length; i += SLICE) {
      const refused = take(reader.push(text.slice(i, i + SLICE)));
      if (refused) return refused;
    }
    const refused = take(reader.end());
    if (refused) return refused;
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      return refuse(`CSV 格式错误：${error.message} (csv_syntax)`, [
        { path: `row ${error.row}`, message: error.message, code: "csv_syntax" },
      ]);
    }
    throw error;
  }
  if (!planner) return refuse("文件是空的 (empty_file)");
  return planner.finish();
}
