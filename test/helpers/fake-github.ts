// A local stand-in for the GitHub REST API's check-run endpoints (loopback, port 0). Every request
// body is validated against GitHub's own OpenAPI description (@octokit/openapi), so a request the
// real API would reject fails here too. Records requests, keeps the check runs' state, and answers
// with injected failures (403, 5xx, secondary rate limits) on demand.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { Ajv, type ValidateFunction } from "ajv";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** Status the fake answered with. */
  status: number;
  /** Schema violations; empty when the body is valid. */
  errors: string[];
}

export interface CheckRunState {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  started_at?: string;
  completed_at?: string;
  output: { title?: string; summary?: string; text?: string };
  annotations: Record<string, unknown>[];
}

export interface Fault {
  method?: "POST" | "PATCH";
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** How many matching requests get this answer. @default 1 */
  times?: number;
}

export interface FakeGithub {
  /** API root to use as GITHUB_API_URL / apiUrl. */
  url: string;
  requests: RecordedRequest[];
  runs: Map<number, CheckRunState>;
  /** Answers the next matching request(s) with this instead of handling them. */
  fail(fault: Fault): void;
  close(): Promise<void>;
}

export interface FakeGithubOptions {
  /** When set, requests must carry `authorization: token <token>`. */
  token?: string;
  owner?: string;
  repo?: string;
}

/** The body schemas as published, by the JSON pointers in reporting.md §2.8. */
interface Validators {
  create: ValidateFunction;
  update: ValidateFunction;
}
let validators: Validators | undefined;

function loadValidators(): Validators {
  if (validators) return validators;
  // Resolve the file through node's resolver: the package has no exports map and its index loads all variants.
  const require = createRequire(import.meta.url);
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const spec = JSON.parse(readFileSync(file, "utf8"));
  const body = (path: string, method: string) =>
    spec.paths[path][method].requestBody.content["application/json"].schema;
  // strictRequired off: the update schema's anyOf lists `conclusion` as required without declaring it there.
  const ajv = new Ajv({ allErrors: true, strictRequired: false });
  ajv.addFormat("date-time", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  validators = {
    create: ajv.compile(body("/repos/{owner}/{repo}/check-runs", "post")),
    update: ajv.compile(body("/repos/{owner}/{repo}/check-runs/{check_run_id}", "patch")),
  };
  return validators;
}

function schemaErrors(validate: ValidateFunction, body: unknown): string[] {
  if (validate(body)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "invalid"}`);
}

/** Rules GitHub enforces that the schema only states in prose or counts differently. */
function proseErrors(body: Record<string, unknown>, isCreate: boolean): string[] {
  const errors: string[] = [];
  if (isCreate && body.status === "completed" && body.conclusion === undefined) {
    errors.push("/conclusion is required when status is completed");
  }
  const output = body.output as Record<string, unknown> | undefined;
  for (const field of ["summary", "text"]) {
    const v = output?.[field];
    if (typeof v === "string" && Buffer.byteLength(v) > 65_535)
      errors.push(`/output/${field} is longer than 65535 bytes`);
  }
  const annotations = (output?.annotations as Record<string, unknown>[] | undefined) ?? [];
  for (const [i, a] of annotations.entries()) {
    if (typeof a.title === "string" && a.title.length > 255)
      errors.push(`/output/annotations/${i}/title is longer than 255`);
    if (typeof a.message === "string" && Buffer.byteLength(a.message) > 65_536)
      errors.push(`/output/annotations/${i}/message is longer than 64 KB`);
    if (typeof a.start_line === "number" && a.start_line < 1)
      errors.push(`/output/annotations/${i}/start_line must be >= 1`);
  }
  return errors;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeGithub(options: FakeGithubOptions = {}): Promise<FakeGithub> {
  const v = loadValidators();
  const owner = options.owner ?? "acme";
  const repo = options.repo ?? "deploys";
  const requests: RecordedRequest[] = [];
  const runs = new Map<number, CheckRunState>();
  const faults: (Fault & { left: number })[] = [];
  let nextId = 4242;

  const server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const method = req.method ?? "GET";
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    let body: unknown;
    try {
      body = raw === "" ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    const record: RecordedRequest = {
      method,
      path,
      headers: req.headers,
      body,
      status: 0,
      errors: [],
    };
    requests.push(record);
    const answer = (status: number, payload: unknown, headers?: Record<string, string>) => {
      record.status = status;
      send(res, status, payload, headers);
    };

    if (options.token && req.headers.authorization !== `token ${options.token}`) {
      return answer(401, { message: "Bad credentials", status: "401" });
    }
    const fault = faults.find((f) => f.left > 0 && (!f.method || f.method === method));
    if (fault) {
      fault.left--;
      return answer(
        fault.status,
        fault.body ?? { message: `injected ${fault.status}` },
        fault.headers,
      );
    }

    const base = `/repos/${owner}/${repo}/check-runs`;
    const isCreate = method === "POST" && path === base;
    const updateMatch = method === "PATCH" ? new RegExp(`^${base}/(\\d+)$`).exec(path) : null;
    if (!isCreate && !updateMatch) return answer(404, { message: "Not Found" });

    const errors = [
      ...schemaErrors(isCreate ? v.create : v.update, body),
      ...(body && typeof body === "object"
        ? proseErrors(body as Record<string, unknown>, isCreate)
        : []),
    ];
    record.errors = errors;
    if (errors.length > 0) return answer(422, { message: "Invalid request.", errors });

    const b = body as Record<string, unknown> & { output?: Record<string, unknown> };
    let state: CheckRunState | undefined;
    if (isCreate) {
      state = {
        id: nextId++,
        name: String(b.name),
        head_sha: String(b.head_sha),
        status: "queued",
        output: {},
        annotations: [],
      };
      runs.set(state.id, state);
    } else {
      state = runs.get(Number(updateMatch?.[1]));
      if (!state) return answer(404, { message: "Not Found" });
    }
    // As GitHub does: fields replace, annotations append, a conclusion implies completed.
    if (typeof b.status === "string") state.status = b.status;
    if (typeof b.conclusion === "string") {
      state.conclusion = b.conclusion;
      state.status = "completed";
    }
    if (typeof b.started_at === "string") state.started_at = b.started_at;
    if (typeof b.completed_at === "string") state.completed_at = b.completed_at;
    if (b.output) {
      const { annotations, ...fields } = b.output as { annotations?: Record<string, unknown>[] };
      state.output = { ...state.output, ...(fields as CheckRunState["output"]) };
      state.annotations.push(...(annotations ?? []));
    }
    const payload = {
      id: state.id,
      name: state.name,
      head_sha: state.head_sha,
      status: state.status,
      conclusion: state.conclusion ?? null,
      html_url: `https://github.com/${owner}/${repo}/runs/${state.id}`,
    };
    return answer(isCreate ? 201 : 200, payload);
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    runs,
    fail(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
