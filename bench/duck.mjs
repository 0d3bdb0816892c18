// duck.mjs - run one SQL text in DuckDB (via @duckdb/node-api) on 2 threads
// and print the result rows, one per line, values separated by tabs, NULL
// as "NULL" (the same form run_bench.py asks of sqlite3).
//
//   node bench/duck.mjs 'SELECT ...' [THREADS]
//
// SET statements may precede the query in the same text (separated by ";");
// the rows printed are the last statement's. The query's own time (without
// Node's and DuckDB's start-up) is printed on stderr as "duck_query_s N".
import { DuckDBInstance } from '@duckdb/node-api';

const sql = process.argv[2];
const threads = process.argv[3] ?? '2';
if (!sql) {
  console.error('usage: node duck.mjs SQL [THREADS]');
  process.exit(2);
}

function show(v) {
  if (v === null || v === undefined) return 'NULL';
  return String(v);
}

try {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`SET threads=${Number(threads)}`);
  const t0 = process.hrtime.bigint();
  const reader = await connection.runAndReadAll(sql);
  const t1 = process.hrtime.bigint();
  const lines = reader.getRows().map((row) => row.map(show).join('\t'));
  process.stdout.write(lines.length ? lines.join('\n') + '\n' : '');
  process.stderr.write(`duck_query_s ${Number(t1 - t0) / 1e9}\n`);
  connection.closeSync();
  instance.closeSync?.();
} catch (e) {
  process.stderr.write(`duckdb error: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
}
