#!/bin/bash
# The runbook: deploys the web tier on one server. The deploy job sends it to every web server with
# TAT RunCommand (after replacing @VERSION@); tat-assert then reads what it printed on each of them.
# specs/web-deploy.yml expects "deploy ok version=<version>" and no "ERROR" or "Traceback".
set -euo pipefail
version="@VERSION@"
image="registry.example.com/web:${version}"

echo "pulling image ${image}"
docker pull --quiet "${image}"
docker rm --force web >/dev/null 2>&1 || true
docker run --detach --name web --restart unless-stopped --publish 80:8080 "${image}"

for _ in $(seq 1 30); do
  if curl --fail --silent --show-error http://127.0.0.1/healthz >/dev/null 2>&1; then
    echo "deploy ok version=${version}"
    exit 0
  fi
  sleep 2
done
echo "ERROR: health check failed after 60 s"
docker logs --tail 50 web || true
exit 1
