// Number formatting and string ordering that never reach ICU. `localeCompare` and
// `toLocaleString` follow the process's locale (LANG), so a report's order and a message's digits
// could differ from one runner to the next; and the first call pages in ICU's collation or number
// data, 3–8 MB of resident memory on Node 24, at the end of a fleet run when it is largest.

/** "1,048,576", "1.5": digits grouped by thousands, at most 3 decimals (as en-US prints them). */
export function groupDigits(n: number): string {
  if (!Number.isFinite(n) || Math.abs(n) >= 1e21) return String(n);
  const digits = String(Number.isInteger(n) ? Math.abs(n) : Number(Math.abs(n).toFixed(3)));
  const [whole = "", fraction] = digits.split(".");
  let grouped = whole;
  for (let i = whole.length - 3; i > 0; i -= 3)
    grouped = `${grouped.slice(0, i)},${grouped.slice(i)}`;
  const sign = n < 0 && digits !== "0" ? "-" : "";
  return `${sign}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** Orders by UTF-16 code units: ids and names sort the same on every machine. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
