// A copy of a string that shares no memory with the string it was cut from. V8 represents a slice
// of 13 or more characters (and a concatenation) as a view onto its parent, so keeping a
// 10-line excerpt of a 24 KB output would keep all 24 KB alive. What outlives a task's output
// (its tail, excerpts around findings) goes through here.

export function detach(text: string): string {
  // Prepending makes a cons string; slicing it flattens that into a fresh sequential string of
  // `text`'s own characters, and the parent of the result is that fresh string.
  return text.length < 13 ? text : ` ${text}`.slice(1);
}
