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
];

export function hintFor(code: string): string | undefined {
  return HINTS.find(([pattern]) => pattern.test(code))?.[1];
}
