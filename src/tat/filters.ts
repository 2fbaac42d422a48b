// Filters are checked before any call, so a typo in a spec fails at once with a message that says
// what is accepted, instead of as an InvalidParameterValue.InvalidFilter from the service.
import { closest, distance } from "fastest-levenshtein";
import { UsageError } from "../errors.js";
import { type Filter, MAX_FILTER_VALUES, MAX_FILTERS } from "./types.js";

export function validateFilters(action: string, filters: Filter[], names: readonly string[]): void {
  if (filters.length > MAX_FILTERS) {
    throw new UsageError(
      `${action} accepts at most ${MAX_FILTERS} filters per request; got ${filters.length}.`,
    );
  }
  for (const [i, filter] of filters.entries()) {
    const label = `${action} filter #${i + 1}`;
    if (typeof filter?.Name !== "string" || !names.includes(filter.Name)) {
      const name = typeof filter?.Name === "string" ? filter.Name : String(filter?.Name);
      const guess = closest(name, [...names]);
      const hint = distance(name, guess) <= 3 ? ` Did you mean "${guess}"?` : "";
      throw new UsageError(
        `${label}: "${name}" is not a filter name it accepts (${names.join(", ")}).${hint}`,
      );
    }
    const values: unknown = filter.Values;
    if (!Array.isArray(values) || values.length === 0) {
      throw new UsageError(`${label} (${filter.Name}) needs at least one value.`);
    }
    if (values.length > MAX_FILTER_VALUES) {
      throw new UsageError(
        `${label} (${filter.Name}) has ${values.length} values; at most ${MAX_FILTER_VALUES} are allowed per filter. Split it into several specs or use ids.`,
      );
    }
    for (const v of values) {
      if (typeof v !== "string" || v === "") {
        throw new UsageError(`${label} (${filter.Name}) has an empty or non-string value.`);
      }
    }
  }
}
