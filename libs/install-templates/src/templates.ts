import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TemplateDelegate } from 'handlebars';

export type TemplateName = 'supervisord.conf' | 'supervisord-program' | 'systemd.service';

let compiled: Record<TemplateName, TemplateDelegate> | undefined;

/**
 * The Handlebars templates, read and compiled once, in a private environment. `noEscape`:
 * values arrive already escaped for their context; Handlebars' HTML escaping would corrupt them.
 */
export function templates(): Record<TemplateName, TemplateDelegate> {
  if (compiled) return compiled;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hbs = (require('handlebars') as typeof import('handlebars')).create();
  const load = (name: TemplateName) =>
    hbs.compile(readFileSync(join(__dirname, 'templates', `${name}.hbs`), 'utf8'), { noEscape: true, strict: true });
  const program = load('supervisord-program');
  hbs.registerPartial('program', program);
  compiled = { 'supervisord-program': program, 'supervisord.conf': load('supervisord.conf'), 'systemd.service': load('systemd.service') };
  return compiled;
}
