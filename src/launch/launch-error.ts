// Why `tat-assert run` stopped before judging anything. Both are API-kind errors (exit 4): the
// service refused, or we cannot tell whether the command started.
import { TatAssertError } from "../errors.js";

/** A start request's answer was lost and the invocation could not be found again (or found twice). */
export class LaunchUncertainError extends TatAssertError {
  readonly kind = "api";
  override readonly name = "LaunchUncertainError";
}

/** The service refused to start a command (it certainly did not start). */
export class LaunchRefusedError extends TatAssertError {
  readonly kind = "api";
  override readonly name = "LaunchRefusedError";
}
