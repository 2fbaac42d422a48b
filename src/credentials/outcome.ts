// What one link of the credential chain concluded. Sources return these instead of throwing so the
// chain can explain every source it tried in one message.
import type { CredentialProvider } from "./types.js";

export type SourceOutcome =
  | { kind: "found"; provider: CredentialProvider }
  /** Nothing is configured for this source: the chain moves on. */
  | { kind: "absent"; reason: string }
  /**
   * Something is configured for this source but cannot be used (a garbled file, a half-set key
   * pair, STS refusing the token). The chain stops here rather than silently picking up a different
   * identity further down, which would turn a clear setup mistake into a puzzling permission error.
   */
  | { kind: "broken"; reason: string };

export const found = (provider: CredentialProvider): SourceOutcome => ({ kind: "found", provider });
export const absent = (reason: string): SourceOutcome => ({ kind: "absent", reason });
export const broken = (reason: string): SourceOutcome => ({ kind: "broken", reason });
