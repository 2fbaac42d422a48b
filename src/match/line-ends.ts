// Windows output ends lines with CR LF. Patterns are matched, and excerpts cut, over the output
// with every CR LF (and the CR CR LF some tools print) read as one LF, so `/^ERROR$/m` finds
// `ERROR\r\n` as it finds `ERROR\n`, and line numbers and excerpts are the same on both systems.
// A CR that ends no line (progress bars redrawing themselves) is left as it is.

const CR_LF = /\r+\n/g;

/** The output with line ends read as LF; offsets into it are what lineOf/excerptAround take. */
export function withLfLineEnds(output: string): string {
  return output.includes("\r") ? output.replace(CR_LF, "\n") : output;
}
