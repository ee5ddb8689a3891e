#!/bin/sh
# Installs the grpc-js-xds test peer from package-lock.json (npm ci) when it is missing or was
# installed from another lock file. Run by the build (xds-server pom, generate-test-resources) and
# by .ci/run; a no-op when the stamp matches. Never fails the build itself: when Node.js or npm is
# missing, or npm cannot reach its registry, it says so loudly and the peer tests then fail with
# the same reason (or are skipped with -Dpeers.optional=true).
cd "$(dirname "$0")" || exit 0
stamp=node_modules/.installed-from-lock
if [ -f node_modules/@grpc/grpc-js-xds/package.json ] && cmp -s package-lock.json "$stamp" 2>/dev/null; then
  exit 0
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "********************************************************************************" >&2
  echo "* grpc-js-xds test peer NOT installed: no node/npm on PATH (Debian: apt-get install nodejs npm)." >&2
  echo "* GrpcJsXdsTest will fail (or be skipped with -Dpeers.optional=true). .ci/run installs it." >&2
  echo "********************************************************************************" >&2
  exit 0
fi
echo "installing the grpc-js-xds test peer (npm ci in $(pwd))" >&2
if npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null; then
  cp package-lock.json "$stamp"
else
  echo "********************************************************************************" >&2
  echo "* grpc-js-xds test peer NOT installed: npm ci failed in $(pwd) (see npm's output above)." >&2
  echo "********************************************************************************" >&2
fi
exit 0
