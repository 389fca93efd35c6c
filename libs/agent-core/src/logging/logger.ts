import type { LogLevelName } from '../options/agent-options.js';

const RANK: Record<LogLevelName, number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 };

/** Receives finished lines; the CLI decides where they go and whether they are colored. */
export type LogSink = (level: LogLevelName, line: string) => void;

export interface Logger {
  readonly name: string;
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  isEnabled(level: LogLevelName): boolean;
  child(name: string): Logger;
}

export interface LoggerOptions {
  name: string;
  level?: LogLevelName;
  sink: LogSink;
  /** Clock for tests. */
  now?: () => Date;
}

/** Prefect 1's line format: `[2026-11-22 02:10:00+0000] INFO - agent | message` (UTC). */
export function formatLine(date: Date, level: LogLevelName, name: string, message: string): string {
  const iso = date.toISOString();
  return `[${iso.slice(0, 10)} ${iso.slice(11, 19)}+0000] ${level} - ${name} | ${message}`;
}

export function createLogger(options: LoggerOptions): Logger {
  const threshold = RANK[options.level ?? 'INFO'];
  const now = options.now ?? (() => new Date());
  const log = (level: LogLevelName, message: string) => {
    if (RANK[level] >= threshold) options.sink(level, formatLine(now(), level, options.name, message));
  };
  return {
    name: options.name,
    debug: (m) => log('DEBUG', m),
    info: (m) => log('INFO', m),
    warning: (m) => log('WARNING', m),
    error: (m) => log('ERROR', m),
    isEnabled: (level) => RANK[level] >= threshold,
    child: (name) => createLogger({ ...options, name }),
  };
}

/** A logger that drops everything (library default when the caller gives none). */
export const silentLogger: Logger = createLogger({ name: 'silent', level: 'CRITICAL', sink: () => undefined });
