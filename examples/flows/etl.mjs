// A Module flow: the agent imports this file and calls the export with the run's parameters.
// Run it: npx --no-install prefect run --name etl --project examples --param day=2024-01-01 --param rows=5 --watch
export default async function etl({ day, rows }) {
  const date = day ?? new Date().toISOString().slice(0, 10);
  console.log(`Extracting ${rows} rows for ${date}...`);
  const data = Array.from({ length: rows }, (_, i) => ({ id: i + 1, value: (i + 1) * 10 }));
  const total = data.reduce((sum, row) => sum + row.value, 0);
  console.log(`Loaded ${data.length} rows, total ${total}`);
  return { day: date, rows: data.length, total };
}
