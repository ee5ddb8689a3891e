#!/bin/sh
# appmesh-xds inside the container image: the same commands as bin/appmesh-xds in a checkout.
#
# The class-data-sharing archive the image build wrote is added here, on the command line, and not
# through JAVA_TOOL_OPTIONS: a Deployment that sets JAVA_TOOL_OPTIONS (deploy/base and the Helm
# chart do, for heap and direct-memory limits) replaces the image's value, and the archive would
# silently be left out. -Xshare:auto: a missing or mismatched archive (another JVM build, another
# jar) is ignored and the JVM starts without it. APPMESH_XDS_CDS=off leaves it out on purpose.
home="${APPMESH_XDS_HOME:-/opt/appmesh-xds}"
archive="$home/appmesh-xds.jsa"
set -- -Dappmeshxds.home="$home" -jar "$home/appmesh-xds.jar" "$@"
# JAVA_OPTS is split into words on purpose (several flags in one variable); it comes after the
# archive flags, so -Xshare:off there wins.
# shellcheck disable=SC2086
set -- ${JAVA_OPTS:-} "$@"
if [ "${APPMESH_XDS_CDS:-on}" != "off" ] && [ -r "$archive" ]; then
  set -- -XX:SharedArchiveFile="$archive" -Xshare:auto "$@"
fi
exec java "$@"
