/**
 * @module imports/csv: an RFC 4180 reader that takes text in pieces (so a file can be fed as it streams in) and a
 * writer for one line. Quoted fields may hold commas, doubled quotes and line breaks; CRLF, LF and a lone CR all
 * end a record. A quote inside an unquoted field is kept as text (`12" 披萨`), as spreadsheets write it.
 */

const COMMA = 44;
const QUOTE = 34;
const CR = 13;
const LF = 10;

export interface CsvRecord {
  /** 1-based record number, the header being 1: the row number a spreadsheet shows for it. */
  row: number;
  fields: string[];
  /** Offset (UTF-16 code units from the start of all text pushed) of the record's first character. */
  start: number;
}

export class CsvSyntaxError extends Error {
  readonly row: number;

  constructor(row: number, message: string) {
    super(`Row ${row}: ${message}`);
    this.name = "CsvSyntaxError";
    this.row = row;
  }
}

type State = "field_start" | "unquoted" | "quoted" | "quote_in_quoted";

/**
 * An incremental CSV reader: `push` returns the records completed by each piece, `end` the last one.
 * @example const reader = new CsvReader(); const records = [...reader.push(text), ...reader.end()];
 */
export class CsvReader {
  private state: State = "field_start";
  private field = "";
  private quoted = false;
  private fields: string[] = [];
  private consumed = 0;
  private recordStart = 0;
  private atRecordStart = true;
  private skipLf = false;
  private row: number;

  constructor(firstRow = 1) {
    this.row = firstRow;
  }

  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      if (this.skipLf) {
        this.skipLf = false;
        if (chunk.charCodeAt(i) === LF) {
          i += 1;
          continue;
        }
      }
      if (this.atRecordStart) {
        this.atRecordStart = false;
        this.recordStart = this.consumed + i;
      }
      if (this.state === "field_start") {
        if (chunk.charCodeAt(i) === QUOTE) {
          this.state = "quoted";
          this.quoted = true;
          i += 1;
        } else {
          this.state = "unquoted";
        }
      } else if (this.state === "unquoted") {
        let j = i;
        while (j < n) {
          const c = chunk.charCodeAt(j);
          if (c === COMMA || c === CR || c === LF) break;
          j += 1;
        }
        this.field += chunk.slice(i, j);
        i = j;
        if (j < n) i = this.delimit(chunk.charCodeAt(j), j, out);
      } else if (this.state === "quoted") {
        const j = chunk.indexOf('"', i);
        if (j === -1) {
          this.field += chunk.slice(i);
          i = n;
        } else {
          this.field += chunk.slice(i, j);
          this.state = "quote_in_quoted";
          i = j + 1;
        }
      } else {
        const c = chunk.charCodeAt(i);
        if (c === QUOTE) {
          this.field += '"';
          this.state = "quoted";
          i += 1;
        } else if (c === COMMA || c === CR || c === LF) {
          i = this.delimit(c, i, out);
        } else {
          throw new CsvSyntaxError(this.row, "text after a closing quote; double a quote inside a quoted field");
        }
      }
    }
    this.consumed += n;
    return out;
  }

  /** Finishes the input: a last record without a line break is returned; an open quote is an error. */
  end(): CsvRecord[] {
    if (this.state === "quoted") throw new CsvSyntaxError(this.row, "a quoted field is never closed");
    if (this.atRecordStart) return [];
    this.endField();
    const record = this.endRecord();
    return [record];
  }

  /** Handles a comma or line break at `index`; returns where reading continues. */
  private delimit(c: number, index: number, out: CsvRecord[]): number {
    this.endField();
    if (c !== COMMA) {
      out.push(this.endRecord());
      this.skipLf = c === CR;
    }
    return index + 1;
  }

  private endField(): void {
    // Line breaks kept inside quotes are normalised, so a description reads the same from Excel and from a script.
    this.fields.push(this.quoted ? this.field.replace(/\r\n?/g, "\n") : this.field);
    this.field = "";
    this.quoted = false;
    this.state = "field_start";
  }

  private endRecord(): CsvRecord {
    const record = { row: this.row, fields: this.fields, start: this.recordStart };
    this.fields = [];
    this.row += 1;
    this.atRecordStart = true;
    return record;
  }
}

/** All records of a complete text. */
export function parseCsv(text: string, firstRow = 1): CsvRecord[] {
  const reader = new CsvReader(firstRow);
  return [...reader.push(text), ...reader.end()];
}

/** An empty line reads as one empty field; it is skipped, but keeps its row number. */
export function isBlank(record: CsvRecord): boolean {
  return record.fields.every((field) => field.trim() === "");
}

/** One CSV line (with CRLF), quoting only fields that need it. */
export function csvLine(fields: readonly (string | number)[]): string {
  return `${fields
    .map((value) => {
      const text = String(value);
      return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(",")}\r\n`;
}

/** UTF-8 length of a string without encoding it (lone surrogates count as the 3 bytes of U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
