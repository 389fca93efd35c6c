import { colorEnabled, paint, type Style } from './style.js';

export interface Column<Row> {
  header: string;
  value: (row: Row) => string;
  style?: (row: Row) => Style | undefined;
}

/** An aligned table with a bold header on a TTY, plain columns when piped. */
export function renderTable<Row>(rows: Row[], columns: Column<Row>[], color = colorEnabled()): string {
  const cells = rows.map((row) => columns.map((c) => c.value(row)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => r[i].length)));
  const pad = (text: string, i: number) => (i === columns.length - 1 ? text : text.padEnd(widths[i]));
  const header = columns.map((c, i) => paint(pad(c.header, i), 'bold', color)).join('  ');
  const body = rows.map((row, r) =>
    columns
      .map((c, i) => {
        const style = c.style?.(row);
        const text = pad(cells[r][i], i);
        return style ? paint(text, style, color) : text;
      })
      .join('  '),
  );
  return [header, ...body].join('\n');
}
