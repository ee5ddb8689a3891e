#!/bin/sh
# appmesh-xds inside the container image: the same commands as bin/appmesh-xds in a checkout.
exec java ${JAVA_OPTS:-} -Dappmeshxds.home="${APPMESH_XDS_HOME:-/opt/appmesh-xds}" -jar /opt/appmesh-xds/appmesh-xds.jar "$@"
