/**
 * @module docs/render: the browsable API reference at `/api/docs`, rendered on the server from the OpenAPI
 * document so it works offline and never drifts from the validators.
 */
import { errorCodes, statusOf } from "../../errors";

interface Operation {
  summary?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown; description?: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
}

export interface OpenApiDoc {
  info: { title: string; version: string; description?: string };
  paths?: object;
  components?: { schemas?: object };
}

const METHODS = ["get", "post", "put", "patch", "delete"];

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function schemaBlock(schema: unknown): string {
  return `<pre>${esc(JSON.stringify(schema, null, 2))}</pre>`;
}

function operationHtml(method: string, path: string, op: Operation): string {
  const params = (op.parameters ?? [])
    .map(
      (p) =>
        `<li><code>${esc(p.name)}</code> (${esc(p.in)}${p.required ? ", required" : ""})${p.description ? ` — ${esc(p.description)}` : ""}</li>`,
    )
    .join("");
  const body = op.requestBody?.content?.["application/json"]?.schema;
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]) => `<li><strong>${esc(status)}</strong> ${esc(r.description ?? "")}</li>`)
    .join("");
  const id = `${method}-${path}`.replace(/[^a-z0-9]+/gi, "-");
  return `<details class="op" id="${esc(id)}"><summary><span class="m ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code> ${esc(op.summary ?? "")}</summary>
${params ? `<h4>Parameters</h4><ul>${params}</ul>` : ""}
${body ? `<h4>JSON body</h4>${schemaBlock(body)}` : ""}
<h4>Responses</h4><ul>${responses}</ul></details>`;
}

export function renderDocsPage(doc: OpenApiDoc): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {}) as [string, Record<string, Operation | undefined>][]) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? "Other";
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(method, path, op)]);
    }
  }
  const sections = [...byTag.entries()]
    .map(([tag, ops]) => `<section><h2>${esc(tag)}</h2>${ops.join("\n")}</section>`)
    .join("\n");
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(
      ([name, schema]) =>
        `<details id="schema-${esc(name)}"><summary><code>${esc(name)}</code></summary>${schemaBlock(schema)}</details>`,
    )
    .join("\n");
  const codes = errorCodes.map((code) => `<tr><td><code>${code}</code></td><td>${statusOf(code)}</td></tr>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(doc.info.title)} — API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:0 auto;padding:1rem;color:#1a1a1a}
code,pre{font-family:ui-monospace,monospace}pre{background:#f5f5f5;padding:.75rem;overflow:auto;font-size:13px}
.op{border:1px solid #ddd;border-radius:6px;margin:.5rem 0;padding:.5rem .75rem}.op summary{cursor:pointer}
.m{display:inline-block;min-width:4.5em;font-weight:700}.get{color:#0b6e3f}.post{color:#1546a0}.patch{color:#8a5300}.delete{color:#a11}
table{border-collapse:collapse}td{border:1px solid #ddd;padding:.25rem .5rem}</style></head><body>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)}</small></h1>
<p>${esc(doc.info.description ?? "")}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code> with a stable <code>code</code>.</p>
${sections}
<section><h2>Schemas</h2>${schemas}</section>
<section><h2>Problem codes</h2><table><thead><tr><th>code</th><th>status</th></tr></thead><tbody>${codes}</tbody></table></section>
</body></html>`;
}
