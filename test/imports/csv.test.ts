import { describe, expect, it } from "vitest";
import { CsvReader, CsvSyntaxError, csvLine, isBlank, parseCsv, utf8Length } from "../../worker/modules/imports/csv";

const fields = (text: string) => parseCsv(text).map((r) => r.fields);

describe("reading CSV (RFC 4180)", () => {
  it("splits records on CRLF, LF and a lone CR, without an empty record for the final line break", () => {
    expect(fields("a,b\r\nc,d\ne,f\rg,h\r\n")).toEqual([
      ["a", "b"],
      ["c", "d"],
      ["e", "f"],
      ["g", "h"],
    ]);
  });

  it("keeps commas, doubled quotes and line breaks inside quoted fields", () => {
    expect(fields('"保温杯 500ml, 316",说明\n"他说""好""",2\n"第一行\r\n第二行",3')).toEqual([
      ["保温杯 500ml, 316", "说明"],
      ['他说"好"', "2"],
      ["第一行\n第二行", "3"],
    ]);
  });

  it("reads empty fields, a trailing comma and an empty quoted field", () => {
    expect(fields('a,,c,\n"",x')).toEqual([
      ["a", "", "c", ""],
      ["", "x"],
    ]);
  });

  it("keeps a quote inside an unquoted field as text, as spreadsheets write it", () => {
    expect(fields('12" 披萨,ok')).toEqual([['12" 披萨', "ok"]]);
  });

  it("numbers records from 1 (the header) and counts a blank line as a row that reads blank", () => {
    const records = parseCsv('h1,h2\n"x\ny",1\n\nz,2');
    expect(records.map((r) => r.row)).toEqual([1, 2, 3, 4]);
    expect(records.map(isBlank)).toEqual([false, false, true, false]);
  });

  it("can start numbering at any row, for a chunk read from the middle of a file", () => {
    expect(parseCsv("a\nb", 201).map((r) => r.row)).toEqual([201, 202]);
  });

  it("reports where each record starts, so a file can be cut between records", () => {
    const text = 'h\n"a\nb"\r\nc\n';
    const starts = parseCsv(text).map((r) => r.start);
    expect(starts).toEqual([0, 2, 9]);
    expect(text.slice(starts[2])).toBe("c\n");
  });

  it("an unclosed quote is a syntax error naming its row", () => {
    expect(() => parseCsv('a\n"open,b\nc')).toThrowError(CsvSyntaxError);
    try {
      parseCsv('a\n"open,b\nc');
    } catch (error) {
      expect(error).toBeInstanceOf(CsvSyntaxError);
      expect((error as CsvSyntaxError).row).toBe(2);
    }
  });

  it("text after a closing quote is a syntax error", () => {
    expect(() => parseCsv('"ab"c,d')).toThrowError(/closing quote/);
  });
});

describe("reading in pieces", () => {
  const text = 'code,名称\r\n1,"含,逗号"\r\n2,"多行\r\n说明 ""引号"""\r\n3,末行';

  it("gives the same records whatever the piece boundaries, including inside CRLF and quotes", () => {
    const whole = parseCsv(text);
    for (let size = 1; size <= 7; size++) {
      const reader = new CsvReader();
      const records = [];
      for (let i = 0; i < text.length; i += size) records.push(...reader.push(text.slice(i, i + size)));
      records.push(...reader.end());
      expect(records, `pieces of ${size}`).toEqual(whole);
    }
  });

  it("returns each record as soon as its line ends", () => {
    const reader = new CsvReader();
    expect(reader.push("a,b\nc")).toEqual([{ row: 1, fields: ["a", "b"], start: 0 }]);
    expect(reader.push(",d\n")).toEqual([{ row: 2, fields: ["c", "d"], start: 4 }]);
    expect(reader.end()).toEqual([]);
  });
});

describe("writing CSV", () => {
  it("quotes only fields that need it and doubles their quotes", () => {
    expect(csvLine([12, "简单", "a,b", 'say "hi"', "two\nlines"])).toBe('12,简单,"a,b","say ""hi""","two\nlines"\r\n');
  });

  it("round-trips through the reader", () => {
    const row = ["a,b", '"', "x\ny", "", "普通"];
    expect(parseCsv(csvLine(row))[0]?.fields).toEqual(row);
  });
});

describe("utf8Length", () => {
  it.each(["ascii", "中文", "é", "😀 emoji", "mixed 混合 😀"])("matches TextEncoder for %s", (text) => {
    expect(utf8Length(text)).toBe(new TextEncoder().encode(text).byteLength);
  });
});
