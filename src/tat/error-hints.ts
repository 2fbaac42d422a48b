// What a user can do about an API refusal. The code says what went wrong; this says where to look.
const HINTS: readonly [RegExp, string][] = [
  [/^AuthFailure\.SignatureExpire$/, "the local clock is more than 5 minutes off; sync it (NTP)"],
  [
    /^AuthFailure\.(SignatureFailure|SecretIdNotFound|InvalidSecretId|InvalidAuthorization)$/,
    "check the SecretId/SecretKey pair; --verbose names where the credentials came from",
  ],
  [/^AuthFailure\.TokenFailure$/, "the session token is missing, wrong or expired"],
  [
    /^(UnauthorizedOperation|AuthFailure\.UnauthorizedOperation)/,
    "the identity lacks a CAM permission: grant tat:DescribeInvocations and tat:DescribeInvocationTasks",
  ],
  [
    /^(UnsupportedRegion|InvalidParameterValue\.InvalidRegion)/,
    "check --region or the spec's region",
  ],
  [
    /^InvalidParameterValue\.Invalid(Invocation|InvocationTask|Command|Instance)Id$/,
    "check the ids in the spec's target",
  ],
  [/^RequestLimitExceeded/, "another client shares this account's rate limit; try again later"],
  // What the network and the answer itself can say (codes from network-error.ts and client.ts).
  [/^ENOTFOUND$/, "check --endpoint: the host name does not exist (typo? DNS?)"],
  [/^ECONNREFUSED$/, "check --endpoint: nothing listens at that host and port"],
  [/^BAD_PORT$/, "check --endpoint: use the service's port (443 for https)"],
  [
    /^(NOT_HTTP|ERR_SSL_|ERR_TLS_|EPROTO$)/,
    "check --endpoint: https:// for a TLS port, http:// for a plain one",
  ],
  [
    /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/,
    "the endpoint's TLS certificate is not trusted; check --endpoint and any TLS-intercepting proxy",
  ],
  [/^REDIRECT$/, "check --endpoint: give the API's own address, not one that redirects"],
  [/^BODY_TOO_LARGE$/, "the endpoint is not the TAT API or is misbehaving; check --endpoint"],
  [
    /^(MalformedResponse|ForeignRecord)$/,
    "the endpoint answered something the TAT API never sends; check --endpoint and any proxy in between",
  ],
];

export function hintFor(code: string): string | undefined {
  return HINTS.find(([pattern]) => pattern.test(code))?.[1];
}
