import type { ServiceFormat, ServiceSpec } from '@prefect-ts/install-templates';

/** Shell-quotes one word for the activation commands we print (POSIX sh). */
export const shQuote = (s: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** The commands that activate an installed file; printed, never run. */
export function activationCommands(format: ServiceFormat, spec: ServiceSpec, file: string, options: { snippet?: boolean } = {}): string[] {
  const f = shQuote(file);
  if (format === 'supervisord') {
    if (options.snippet) return ['supervisorctl reread && supervisorctl update', `supervisorctl status ${spec.name}`];
    return [`supervisord -c ${f}`, `supervisorctl -c ${f} status ${spec.name}`];
  }
  if (format === 'systemd') {
    const ctl = spec.scope === 'user' ? 'systemctl --user' : 'systemctl';
    const unit = file.replace(/^.*\//, '');
    const cmds = [`${ctl} daemon-reload && ${ctl} enable --now ${shQuote(unit)}`, `${ctl} status ${shQuote(unit)}`];
    if (spec.scope === 'user') cmds.push(`loginctl enable-linger ${shQuote(spec.env['USER'] ?? '$USER')}   # keep the agent running after logout`);
    return cmds;
  }
  const domain = spec.scope === 'user' ? 'gui/$(id -u)' : 'system';
  return [`launchctl bootstrap ${domain} ${f}`, `launchctl kickstart -k ${domain}/${spec.label}`, `launchctl print ${domain}/${spec.label}`];
}
