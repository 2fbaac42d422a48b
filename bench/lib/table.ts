// Plain-text tables and number formats for benchmark output: right-aligned columns, so figures
// from different rows line up and can be compared by eye.

/** Formats rows (the first is the header) as an aligned table: first column left, the rest right. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const [header, ...body] = rows;
  if (!header) return "";
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(header), rule, ...body.map(line)].join("\n");
}

/** Megabytes (10^6 bytes), two decimals. */
export const mb = (bytes: number): string => (bytes / 1e6).toFixed(2).replace(/^-(0\.00)$/, "$1");

export const ms = (value: number): string => value.toFixed(value < 10 ? 2 : 0);

export const seconds = (milliseconds: number): string => (milliseconds / 1000).toFixed(2);

/** "12.3×", or "–" when the denominator is zero (nothing to compare with). */
export function ratio(numerator: number, denominator: number): string {
  if (denominator === 0) return numerator === 0 ? "=" : "–";
  const r = numerator / denominator;
  return `${r >= 100 ? r.toFixed(0) : r.toFixed(1)}×`;
}
