import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The compiled module runner. From dist it sits next to this file; when agent-core runs from
 * its TypeScript sources (tests), the built copy in dist is used.
 */
export function moduleRunnerPath(): string {
  const here = path.join(__dirname, 'module-runner.js');
  if (existsSync(here)) return here;
  return path.resolve(__dirname, '..', '..', 'dist', 'runner', 'module-runner.js');
}
