import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { RenderResult, ServiceSpec } from '@prefect-ts/install-templates';
import { UsageError } from '../errors.js';

export interface InstallServiceOptions {
  /** Path of the main file. */
  output: string;
  /** Replace existing files (the old one is kept as `<file>.bak`). */
  force?: boolean;
}

export interface WrittenFile {
  path: string;
  role: 'main' | 'env';
  mode: string;
  bytes: number;
  replaced: boolean;
}

export interface InstallServiceResult {
  files: WrittenFile[];
  /** Directories created (0700) for logs and the supervisord state. */
  directories: string[];
}

/**
 * Writes the rendered files: each atomically (temp file in the same directory, fsync, rename,
 * fsync of the directory), with its mode (0600 for anything holding a secret). Refuses to replace
 * an existing file unless `force`. Creates the spec's log/state directories 0700.
 */
export function installService(rendered: RenderResult, spec: ServiceSpec, options: InstallServiceOptions): InstallServiceResult {
  const targets = rendered.files.map((f) => ({ file: f, path: f.role === 'main' ? resolve(options.output) : f.path! }));
  const existing = targets.filter((t) => existsSync(t.path));
  if (existing.length && !options.force) {
    throw new UsageError(`${existing.map((t) => t.path).join(', ')} already exists; refusing to overwrite`, {
      code: 'INSTALL_FILE_EXISTS',
      suggestions: ['pass --force to replace it (the old file is kept as <file>.bak)', 'or check it for drift with --check <file>'],
    });
  }
  const directories = ensureDirectories(rendered.format === 'systemd' ? [] : serviceDirectories(spec));
  const files = targets.map(({ file, path }) => {
    const replaced = existsSync(path);
    if (replaced) copyFileSync(path, `${path}.bak`);
    atomicWrite(path, file.content, file.mode);
    return { path, role: file.role, mode: `0${file.mode.toString(8)}`, bytes: Buffer.byteLength(file.content), replaced };
  });
  return { files, directories };
}

/** The directories the service needs before it can start (logs; supervisord's socket/pid dir). */
export function serviceDirectories(spec: ServiceSpec): string[] {
  return [...new Set([spec.logs.dir, spec.supervisord.stateDir])];
}

/** Creates missing directories with mode 0700; returns the ones created. */
export function ensureDirectories(dirs: string[]): string[] {
  const created: string[] = [];
  for (const dir of dirs) {
    if (existsSync(dir)) continue;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    created.push(dir);
  }
  return created;
}

export function atomicWrite(path: string, content: string, mode: number): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  try {
    const dfd = openSync(dir, 'r');
    fsyncSync(dfd);
    closeSync(dfd);
  } catch {
    /* directories cannot be fsynced on every platform */
  }
}
