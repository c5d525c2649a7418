/**
 * @module i18n/interpolate: fills `{name}` placeholders. Its own file so browser scripts import it without the
 * dictionaries.
 */
export function interpolate(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}
