// Credentials are resolved by a provider at call time, so temporary credentials (STS, CVM role,
// OIDC) can be refreshed during a long wait without the client knowing where they came from.

export interface Credentials {
  secretId: string;
  secretKey: string;
  /** Session token for temporary credentials; sent as X-TC-Token. */
  token?: string;
  /** Epoch milliseconds after which the credentials stop working; absent for long-term keys. */
  expiresAt?: number;
}

export interface CredentialProvider {
  /** Where the credentials come from, for verbose output ("environment", "OIDC web identity"); never the secret. */
  readonly source: string;
  get(signal?: AbortSignal): Promise<Credentials>;
}

/** A provider for credentials already at hand (options, tests). */
export function staticCredentials(
  credentials: Credentials,
  source = "explicit",
): CredentialProvider {
  return { source, get: async () => credentials };
}
