/**
 * @module media/placeholder: the SVG drawn for `placeholder/<hue>/<label>.svg` keys — a pale background of the
 * hue with the label centred in a dark shade of the same hue (contrast well above WCAG AA), the same bytes for
 * the same key every time so it caches and ETags like a stored object.
 */

const SIZE = 800;
const MAX_LABEL_CHARS = 40;
/** About eight CJK characters per line still reads at thumbnail size. */
const LINE_UNITS = 8;
const MAX_LINES = 4;

export interface PlaceholderSpec {
  hue: number;
  label: string;
}

/** `<hue>/<label>.svg` after the `placeholder/` prefix, or undefined when the key is not one. */
export function parsePlaceholder(rest: string): PlaceholderSpec | undefined {
  const match = /^(\d{1,3})\/(.+)\.svg$/s.exec(rest);
  if (!match?.[1] || !match[2]) return undefined;
  const hue = Number(match[1]);
  const label = match[2].trim();
  if (hue > 359 || label.length === 0 || [...label].length > MAX_LABEL_CHARS || label.includes("/")) return undefined;
  if (/\p{Cc}/u.test(label)) return undefined;
  return { hue, label };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** CJK glyphs are about a full em wide, Latin ones a little over half. */
function widthUnits(ch: string): number {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\uff00-\uffef]/u.test(ch) ? 1 : 0.6;
}

const unitsOf = (text: string) => [...text].reduce((sum, ch) => sum + widthUnits(ch), 0);

/** Each CJK character may break anywhere; a Latin word stays whole unless it alone is wider than a line. */
function tokens(label: string): string[] {
  const out: string[] = [];
  for (const match of label.matchAll(
    /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+\s*|\s+/gu,
  )) {
    const token = match[0];
    if (unitsOf(token.trimEnd()) <= LINE_UNITS) out.push(token);
    else out.push(...[...token]);
  }
  return out;
}

function wrap(label: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const token of tokens(label)) {
    if (line && unitsOf((line + token).trimEnd()) > LINE_UNITS) {
      lines.push(line.trimEnd());
      line = "";
    }
    if (line || token.trim()) line += token;
  }
  if (line.trim()) lines.push(line.trimEnd());
  if (lines.length <= MAX_LINES) return lines;
  const kept = lines.slice(0, MAX_LINES);
  kept[MAX_LINES - 1] = `${[...(kept[MAX_LINES - 1] ?? "")].slice(0, -1).join("")}…`;
  return kept;
}

export function placeholderSvg({ hue, label }: PlaceholderSpec): string {
  const lines = wrap(label);
  const widest = Math.max(...lines.map(unitsOf), 1);
  const fontSize = Math.floor(Math.min(160, (SIZE * 0.78) / widest, (SIZE * 0.7) / (lines.length * 1.25)));
  const lineHeight = Math.round(fontSize * 1.25);
  const firstY = SIZE / 2 - ((lines.length - 1) * lineHeight) / 2;
  const text = lines
    .map((line, i) => `<tspan x="${SIZE / 2}" y="${Math.round(firstY + i * lineHeight)}">${escapeXml(line)}</tspan>`)
    .join("");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}"`,
    ` role="img" aria-label="${escapeXml(label)}">`,
    `<rect width="${SIZE}" height="${SIZE}" fill="hsl(${hue}, 60%, 90%)"/>`,
    `<text text-anchor="middle" dominant-baseline="central" font-size="${fontSize}" font-weight="600"`,
    ` font-family="'PingFang SC','Hiragino Sans GB','Noto Sans CJK SC','Microsoft YaHei',system-ui,sans-serif"`,
    ` fill="hsl(${hue}, 50%, 22%)">${text}</text></svg>`,
  ].join("");
}
