// Step 5 of the chain: the CAM role bound to the CVM instance, read from the metadata service
// (tat-api.md §6.3). Off Tencent Cloud the metadata host does not exist or does not answer, so the
// first request uses a short timeout and the chain never hangs there.
import { CredentialsError } from "../errors.js";
import { HttpFailure, httpRequest } from "./http.js";
import { absent, broken, found, type SourceOutcome } from "./outcome.js";
import { refreshingProvider } from "./refreshing-provider.js";
import type { Credentials } from "./types.js";

export const DEFAULT_METADATA_ENDPOINT = "http://metadata.tencentyun.com";
/** Deadline for the first metadata request: long enough for the link-local service, short off-cloud. */
export const DEFAULT_METADATA_TIMEOUT_MS = 1000;
/** Later refreshes run on an instance known to have the service, so they may wait longer. */
const REFRESH_TIMEOUT_MS = 5000;
const CREDENTIALS_PATH = "/latest/meta-data/cam/security-credentials/";

export interface CvmRoleOptions {
  /** Role name; discovered from the metadata service when absent. */
  roleName?: string | undefined;
  endpoint?: string | undefined;
  timeoutMs?: number | undefined;
  fetch: typeof globalThis.fetch;
  now: () => number;
  /** Names the source in messages, e.g. "CVM instance role (tccli profile default)". */
  label?: string;
}

/**
 * Probes the metadata service once and returns a refreshing provider for the instance role.
 * `absent` when the service cannot be reached or no role is bound and none was asked for.
 */
export async function fromCvmRole(options: CvmRoleOptions): Promise<SourceOutcome> {
  const base = (options.endpoint ?? DEFAULT_METADATA_ENDPOINT).replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? DEFAULT_METADATA_TIMEOUT_MS;
  const label = options.label ?? "CVM instance role";
  let roleName = options.roleName;
  if (!roleName) {
    const discovered = await discoverRoleName(base, timeoutMs, options.fetch);
    if (discovered.kind !== "role") return absent(discovered.reason);
    roleName = discovered.roleName;
  }
  const name = roleName;
  const fetchRole = (ms: number) =>
    fetchRoleCredentials({ base, roleName: name, timeoutMs: ms, fetch: options.fetch });
  let initial: Credentials;
  try {
    initial = await fetchRole(timeoutMs);
  } catch (err) {
    if (err instanceof CredentialsError) return broken(err.message);
    throw err;
  }
  return found(
    refreshingProvider({
      source: `${label} ${name}`,
      fetchCredentials: () => fetchRole(REFRESH_TIMEOUT_MS),
      now: options.now,
      initial,
    }),
  );
}

type Discovery = { kind: "role"; roleName: string } | { kind: "none"; reason: string };

async function discoverRoleName(
  base: string,
  timeoutMs: number,
  fetchFn: typeof globalThis.fetch,
): Promise<Discovery> {
  let answer: Awaited<ReturnType<typeof httpRequest>>;
  try {
    answer = await httpRequest({ fetch: fetchFn, url: `${base}${CREDENTIALS_PATH}`, timeoutMs });
  } catch (err) {
    const why = err instanceof HttpFailure ? err.message : "request failed";
    return {
      kind: "none",
      reason: `metadata service ${base} ${err instanceof HttpFailure && err.answered ? "answered" : "not reachable:"} ${why} (not a Tencent Cloud instance?)`,
    };
  }
  if (answer.status === 404) {
    return { kind: "none", reason: `no CAM role is bound to this instance (${base} answered 404)` };
  }
  const roleName = answer.body.split(/\r?\n/)[0]?.trim();
  if (answer.status !== 200 || !roleName) {
    return {
      kind: "none",
      reason: `metadata service ${base} answered HTTP ${answer.status} without a role name`,
    };
  }
  return { kind: "role", roleName };
}

interface RoleRequest {
  base: string;
  roleName: string;
  timeoutMs: number;
  fetch: typeof globalThis.fetch;
}

/** Reads the role's current credentials; throws CredentialsError with a message safe to show. */
export async function fetchRoleCredentials(req: RoleRequest): Promise<Credentials> {
  const where = `metadata service ${req.base}, role ${req.roleName}`;
  let answer: Awaited<ReturnType<typeof httpRequest>>;
  try {
    answer = await httpRequest({
      fetch: req.fetch,
      url: `${req.base}${CREDENTIALS_PATH}${encodeURIComponent(req.roleName)}`,
      timeoutMs: req.timeoutMs,
    });
  } catch (err) {
    throw new CredentialsError(`${where}: ${(err as Error).message}`);
  }
  if (answer.status === 404) {
    throw new CredentialsError(`${where}: no such role on this instance (HTTP 404)`);
  }
  if (answer.status !== 200) throw new CredentialsError(`${where}: HTTP ${answer.status}`);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    throw new CredentialsError(`${where}: the answer is not JSON`);
  }
  if (body.Code !== "Success") {
    throw new CredentialsError(`${where}: Code is ${JSON.stringify(body.Code)}, not "Success"`);
  }
  const { TmpSecretId, TmpSecretKey, Token, ExpiredTime } = body;
  if (
    typeof TmpSecretId !== "string" ||
    typeof TmpSecretKey !== "string" ||
    typeof Token !== "string" ||
    typeof ExpiredTime !== "number"
  ) {
    throw new CredentialsError(
      `${where}: the answer lacks TmpSecretId, TmpSecretKey, Token or ExpiredTime`,
    );
  }
  return {
    secretId: TmpSecretId,
    secretKey: TmpSecretKey,
    token: Token,
    expiresAt: ExpiredTime * 1000,
  };
}
