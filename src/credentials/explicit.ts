// Step 1 of the chain: keys given as options (CLI flags, Action inputs, library callers).
import { UsageError } from "../errors.js";
import { nonEmpty } from "./non-empty.js";
import { absent, found, type SourceOutcome } from "./outcome.js";
import { staticCredentials } from "./types.js";

export interface ExplicitKeys {
  secretId?: string | undefined;
  secretKey?: string | undefined;
  sessionToken?: string | undefined;
}

/**
 * Half a key pair given on purpose is a usage mistake, not a reason to look elsewhere: it throws
 * UsageError rather than falling through to another identity.
 */
export function fromExplicitOptions(keys: ExplicitKeys): SourceOutcome {
  const secretId = nonEmpty(keys.secretId);
  const secretKey = nonEmpty(keys.secretKey);
  const token = nonEmpty(keys.sessionToken);
  if (secretId && secretKey) {
    return found(
      staticCredentials({ secretId, secretKey, ...(token ? { token } : {}) }, "explicit options"),
    );
  }
  if (secretId) throw new UsageError("A secret id was given without a secret key.");
  if (secretKey) throw new UsageError("A secret key was given without a secret id.");
  if (token) throw new UsageError("A session token was given without a secret id and key.");
  return absent("no secret id/key given");
}
