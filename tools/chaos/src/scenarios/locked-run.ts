import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Ledger } from '@prefect-ts/bench';

/**
 * A run command that holds an exclusive flock on a per-run lock file while it lives. A second
 * execution of the same run starting while the first is still alive cannot take the lock and
 * writes `overlap` to the ledger: overlapping executions are detected, not inferred.
 */
export function lockedRunArgv(ledger: Ledger, sleepSeconds: number, lockDir = mkdtempSync(path.join(tmpdir(), 'chaos-locks-'))): string[] {
  const id = '$PREFECT__CONTEXT__FLOW_RUN_ID';
  const f = `'${ledger.file}'`;
  return [
    '/bin/bash',
    '-c',
    `exec 9>>'${lockDir}'/"${id}"; if flock -n 9; then echo "${id} start $EPOCHREALTIME $$" >> ${f}; sleep ${sleepSeconds}; echo "${id} end $EPOCHREALTIME $$" >> ${f}; else echo "${id} overlap $EPOCHREALTIME $$" >> ${f}; exit 3; fi`,
  ];
}
