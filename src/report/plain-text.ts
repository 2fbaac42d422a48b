// Kept for existing imports: the sanitiser is src/report/sanitize.ts.
export { plain, plainLine } from "./sanitize.js";
