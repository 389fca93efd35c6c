import type { ServiceFormat } from './service-spec.js';

const FORMAT_NOUN: Record<ServiceFormat, string> = {
  supervisord: 'a supervisord config',
  systemd: 'a systemd unit',
  launchd: 'a launchd plist',
};

/**
 * A value that the target format's grammar cannot carry exactly. Thrown instead of writing a
 * service that would silently receive something else.
 */
export class UnrepresentableValueError extends Error {
  readonly code = 'INSTALL_UNREPRESENTABLE_VALUE';
  constructor(
    /** What carries the value: `--label`, `env HOME`, `working directory`, ... */
    readonly field: string,
    readonly format: ServiceFormat,
    readonly reason: string,
    readonly value: string,
  ) {
    super(`${field} ${JSON.stringify(value)} cannot be written to ${FORMAT_NOUN[format]}: ${reason}`);
    this.name = 'UnrepresentableValueError';
  }
}
