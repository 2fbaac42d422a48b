// Exit codes are interface: documented in the README and tested. This is the only place that maps
// outcomes and errors to them.
import type { ErrorKind } from "./errors.js";
import type { Outcome } from "./model.js";

export const EXIT = {
  /** Every expectation held. */
  PASS: 0,
  /** An expectation did not hold. */
  FAIL: 1,
  /** A spec or the command line is invalid. */
  INVALID: 2,
  /** Could not verify: deadline reached, cancelled, target never found. */
  UNVERIFIED: 3,
  /** The cloud API refused or failed (auth, permissions, persistent errors). */
  API: 4,
  /** Every expectation held, but a requested report could not be written. */
  REPORT: 5,
  /** A bug in tat-assert. */
  INTERNAL: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * When several apply, the one a user must act on first wins: a broken spec or command line
 * (nothing was really checked), then the API refusing (credentials, permissions), then what could
 * not be verified, then plain failures; a report that could not be written only turns a pass
 * into a failure of its own, so a gate never reads green while its report is missing.
 */
const PRECEDENCE: readonly ExitCode[] = [
  EXIT.INTERNAL,
  EXIT.INVALID,
  EXIT.API,
  EXIT.UNVERIFIED,
  EXIT.FAIL,
  EXIT.REPORT,
  EXIT.PASS,
];

export function worstExitCode(codes: Iterable<ExitCode>): ExitCode {
  let best: ExitCode = EXIT.PASS;
  for (const c of codes) if (PRECEDENCE.indexOf(c) < PRECEDENCE.indexOf(best)) best = c;
  return best;
}

export function exitCodeForError(kind: ErrorKind): ExitCode {
  switch (kind) {
    case "usage":
    case "spec":
      return EXIT.INVALID;
    case "unverified":
      return EXIT.UNVERIFIED;
    case "api":
      return EXIT.API;
    case "internal":
      return EXIT.INTERNAL;
  }
}

export function exitCodeForOutcome(outcome: Outcome): ExitCode {
  switch (outcome) {
    case "pass":
    case "skip":
      return EXIT.PASS;
    case "fail":
      return EXIT.FAIL;
    case "error":
      return EXIT.UNVERIFIED;
  }
}
