import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { postgresAvailable, TEST_DATABASE_URL } from '../testing/pg-database.js';
import { preparedStatements, statementName } from './prepared-statements.js';

let available = false;
let pool: pg.Pool;
beforeAll(async () => {
  available = await postgresAvailable();
  // one connection, so that the checks below see the connection the statements ran on
  pool = new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
});
afterAll(() => pool.end());

const add = CompiledQuery.raw('select $1::int + 1 as n', [41]);
const kept = async (): Promise<string[]> => (await pool.query('select name from pg_prepared_statements')).rows.map((r) => r.name as string);

test('a query runs as a named statement, prepared once per connection', async () => {
  if (!available) return;
  const run = preparedStatements(pool);
  expect(await run(add)).toEqual([{ n: 42 }]);
  expect(await run(CompiledQuery.raw(add.sql, [1]))).toEqual([{ n: 2 }]);
  expect(await kept()).toContain(statementName(add.sql));
});

test('when the server loses the statement (a pooler in transaction mode), it reports once and goes on unnamed', async () => {
  if (!available) return;
  const errors: Error[] = [];
  const run = preparedStatements(pool, (e) => errors.push(e));
  await run(add);
  await pool.query('deallocate all'); // pg still believes the statement is prepared: Bind fails with 26000
  expect(await run(add)).toEqual([{ n: 42 }]);
  expect(errors).toHaveLength(1);
  expect(errors[0].message).toMatch(/26000.*connection pooler in transaction mode/s);
  expect(await run(CompiledQuery.raw('select $1::int * 2 as n', [21]))).toEqual([{ n: 42 }]);
  expect(await kept()).toEqual([]); // nothing named since
  expect(errors).toHaveLength(1);
});

test('any other error is the caller\'s, and named statements stay on', async () => {
  if (!available) return;
  const errors: Error[] = [];
  const run = preparedStatements(pool, (e) => errors.push(e));
  await pool.query('deallocate all');
  await expect(run(CompiledQuery.raw('select 1 / $1::int as n', [0]))).rejects.toThrow(/division by zero/);
  expect(await run(add)).toEqual([{ n: 42 }]);
  expect(errors).toEqual([]);
  expect(await kept()).toContain(statementName(add.sql));
});
