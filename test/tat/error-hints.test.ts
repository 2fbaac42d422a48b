import { expect, test } from "@jest/globals";
import { hintFor } from "../../src/tat/error-hints.js";

test.each([
  ["AuthFailure.SignatureExpire", /clock/],
  ["AuthFailure.SignatureFailure", /SecretId\/SecretKey/],
  ["AuthFailure.SecretIdNotFound", /SecretId\/SecretKey/],
  ["AuthFailure.TokenFailure", /token/],
  ["UnauthorizedOperation.CamAuthFailed", /tat:DescribeInvocations/],
  ["InvalidParameterValue.InvalidInvocationId", /ids in the spec/],
])("%s has a hint", (code, hint) => {
  expect(hintFor(code)).toMatch(hint);
});

test("codes with nothing to add have no hint", () => {
  expect(hintFor("InternalError")).toBeUndefined();
  expect(hintFor("SomethingNew")).toBeUndefined();
});
