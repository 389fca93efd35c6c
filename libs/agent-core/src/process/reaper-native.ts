import { existsSync } from 'node:fs';
import path from 'node:path';

/** native/reaper.c, built into dist/native/reaper.node by scripts/build-native.js (Linux only). */
export interface ReaperAddon {
  /** Reaps `pid` if it is an exited child of ours; null while it runs or if it is not ours. */
  waitpidNoHang(pid: number): { pid: number; status: number } | null;
  setChildSubreaper(on?: boolean): boolean;
  isChildSubreaper(): boolean;
}

/** dist/process → dist/native; from src/process (tests) → the built dist/native or native/build. */
export const ADDON_CANDIDATES = [
  path.join(__dirname, '..', 'native', 'reaper.node'),
  path.join(__dirname, '..', '..', 'dist', 'native', 'reaper.node'),
  path.join(__dirname, '..', '..', 'native', 'build', 'Release', 'reaper.node'),
];

let cached: ReaperAddon | Error | undefined;

/** Loads the addon on first use (never at agent start-up unless the reaper is on). */
export function loadReaperAddon(): ReaperAddon {
  if (!cached) {
    const file = ADDON_CANDIDATES.find((c) => existsSync(c));
    try {
      if (process.platform !== 'linux') throw new Error(`the child reaper is Linux-only (platform ${process.platform})`);
      if (!file) throw new Error(`reaper.node not built (looked in ${ADDON_CANDIDATES.join(', ')})`);
      const module = { exports: {} };
      process.dlopen(module, file);
      cached = module.exports as ReaperAddon;
    } catch (error) {
      cached = error as Error;
    }
  }
  if (cached instanceof Error) throw cached;
  return cached;
}
