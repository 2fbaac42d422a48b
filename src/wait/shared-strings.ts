// Strings that thousands of task records repeat: an invocation's and its command's ids (on each of
// its tasks) and the times TAT writes to the second (the tasks of one run start and end within
// minutes of each other). JSON.parse gives every record its own copy; the tracker keeps one copy of
// each value instead. At 10,000 tasks the time strings alone were 30,000 strings, 1.4 MB of the
// 27 MB a run keeps.

/** One copy per distinct value, among the last `most` distinct values seen. */
export class SharedStrings {
  private readonly seen = new Map<string, string>();

  constructor(private readonly most = 4096) {}

  /** The copy of `s` kept first. Past `most` distinct values the table starts over: sharing is
   * lost for a while, never a value. */
  of(s: string): string {
    const kept = this.seen.get(s);
    if (kept !== undefined) return kept;
    if (this.seen.size >= this.most) this.seen.clear();
    this.seen.set(s, s);
    return s;
  }
}
