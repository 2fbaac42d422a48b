#!/usr/bin/env bash
# The gate as a plain shell step, for any CI (Jenkins, Buildkite, TeamCity, cron) or a terminal:
#
#   DEPLOY_INVOCATION_ID=inv-abcd1234 DEPLOY_VERSION=1.4.2 ./gate.sh
#
# Needs Node.js 22.12 or later; npx fetches tat-assert on first use. Credentials come from the
# usual places, first found wins: TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY (+
# TENCENTCLOUD_SESSION_TOKEN), ~/.tencentcloud/credentials or ~/.tccli/<profile>.credential,
# OIDC (TENCENTCLOUD_ROLE_ARN with TENCENTCLOUD_WEB_IDENTITY_TOKEN_FILE), or the CAM role of the
# CVM instance the agent runs on. Add --verbose to see which one was used.
set -uo pipefail
cd "$(dirname "$0")"

: "${DEPLOY_INVOCATION_ID:?set DEPLOY_INVOCATION_ID to the invocation id RunCommand returned}"
: "${DEPLOY_VERSION:?set DEPLOY_VERSION to the version the runbook deployed}"
export TENCENTCLOUD_REGION="${TENCENTCLOUD_REGION:-ap-guangzhou}"

npx --yes tat-assert@0.1 specs/*.yml --reporter junit:reports/tat-assert.xml --reporter json:reports/tat-assert.json
code=$?

# The exit code says what happened; every one but 0 should stop a deployment.
case "$code" in
  0) echo "gate passed" ;;
  1) echo "gate FAILED: a deployment expectation did not hold (see above, or reports/)" ;;
  2) echo "gate not run: a spec or an option is invalid" ;;
  3) echo "gate could not verify the deploy: deadline reached, cancelled, or invocation not found" ;;
  4) echo "gate could not ask TAT: credentials, permissions or the API kept failing" ;;
  5) echo "every expectation held, but a requested report could not be written" ;;
  *) echo "tat-assert failed unexpectedly (exit $code)" ;;
esac
exit "$code"
