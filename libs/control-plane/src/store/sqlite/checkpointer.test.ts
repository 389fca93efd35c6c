import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { tempDir } from '../../testing/temp-dir.js';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpointer.js';
import { createSqliteDriver } from './sqlite-driver.js';

/** Rows of `t` in a copy of the main database file alone (no -wal): what has been checkpointed. */
function rowsInMainFile(file: string, dir: string): number {
  const copy = path.join(dir, 'main-only.sqlite');
  copyFileSync(file, copy);
  const db = new Database(copy, { readonly: true });
  try {
    const exists = db.prepare(`select count(*) as n from sqlite_master where name = 't'`).get() as { n: number };
    return exists.n ? (db.prepare('select count(*) as n from t').get() as { n: number }).n : 0;
  } finally {
    db.close();
  }
}

describe('SQLite WAL checkpoints on a worker thread', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterAll(() => dirs.forEach((d) => d.remove()));
  const scratch = () => {
    const t = tempDir();
    dirs.push(t);
    return t.dir;
  };

  it('copies commits into the database file without the writing connection checkpointing', async () => {
    const dir = scratch();
    const file = path.join(dir, 'store.sqlite');
    const driver = createSqliteDriver({ file, checkpointIntervalMs: 20 });
    try {
      const raw = new Database(file);
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      raw.close();
      await sql`create table t (id integer primary key, v text)`.execute(driver.db);
      for (let i = 0; i < 50; i += 1) await driver.write((q) => sql`insert into t (v) values (${`row ${i}`})`.execute(q));
      // 50 small commits are far below SQLite's default 1,000-page autocheckpoint: only the worker
      // can have put them into the main file
      await new Promise((r) => setTimeout(r, 300));
      expect(rowsInMainFile(file, dir)).toBe(50);
      const pages = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(driver.db);
      expect(pages.rows[0].wal_autocheckpoint).toBe(FALLBACK_AUTOCHECKPOINT_PAGES);
    } finally {
      await driver.close();
    }
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('reports each checkpoint, and everything written before close is in the database file after it', async () => {
    const dir = scratch();
    const file = path.join(dir, 'direct.sqlite');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('create table t (id integer primary key, v text)');
    const checkpointer = startCheckpointer(file, { intervalMs: 10 });
    try {
      const insert = db.prepare('insert into t (v) values (?)');
      for (let i = 0; i < 20; i += 1) insert.run(`row ${i}`);
      const result = await checkpointer.next();
      expect(result.busy).toBe(0);
      expect(result.log).toBeGreaterThan(0);
      expect(result.checkpointed).toBe(result.log);
      for (let i = 0; i < 5; i += 1) insert.run(`late ${i}`);
    } finally {
      await checkpointer.close();
    }
    expect(rowsInMainFile(file, dir)).toBe(25);
    db.close();
  });

  it('reports a worker that cannot open the database through onError', async () => {
    const errors: Error[] = [];
    const checkpointer = startCheckpointer(path.join(scratch(), 'missing-dir', 'x.sqlite'), { intervalMs: 10, onError: (e) => errors.push(e) });
    await checkpointer.close();
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^WAL checkpoint worker stopped: .*directory/i)]);
  });
});
