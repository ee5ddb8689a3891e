#!/usr/bin/python3
"""Test peer: gRPC C-core (Debian's python3-grpcio) as an independent xDS client of our control plane.

Calls grpc.health.v1.Health/Check N times on xds:///<target> and prints, as its LAST line, the tally
of which backend answered (initial metadata x-backend-id):
    {"primary": n, "canary": m, "errors": k}
Backends other than primary/canary are counted under their own id; failed calls count as errors.

Usage: /usr/bin/python3 client.py --target podinfo.demo:9898 [--n 1000]
                                  [--metadata user-agent=curl/8.5.0]... [--deadline-ms 10000]
                                  [--timeout-ms 90000] [--max-errors K]
Run it with Debian's system python3 (python3-grpcio is installed there, not in a pyenv). The
bootstrap comes from the environment (GRPC_XDS_BOOTSTRAP_CONFIG or GRPC_XDS_BOOTSTRAP). C-core may
log a lot (one line per NACKed response): callers should send its output to a file and read only
the last line. After K failed calls it stops early (the tally then has fewer calls). Exit code: 0 after printing the tally, 2 on bad usage, 3 on overall timeout (a
partial tally is still printed, with "timedOut": true).

No generated code: the request (an empty HealthCheckRequest) is zero bytes and the response is not
decoded; only its metadata matters.
"""
import argparse
import json
import sys
import time

import grpc


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--target", required=True)
    p.add_argument("--n", type=int, default=1000)
    p.add_argument("--metadata", action="append", default=[], help="key=value, repeatable")
    p.add_argument("--deadline-ms", type=int, default=10000)
    p.add_argument("--timeout-ms", type=int, default=90000)
    p.add_argument("--max-errors", type=int, default=None)
    a = p.parse_args()
    md = []
    for kv in a.metadata:
        k, sep, v = kv.partition("=")
        if not sep or not k:
            p.error("--metadata wants key=value, got " + kv)
        md.append((k.lower(), v))

    tally = {"primary": 0, "canary": 0, "errors": 0}
    end = time.monotonic() + a.timeout_ms / 1000.0
    timed_out = False
    errors_logged = 0
    with grpc.insecure_channel("xds:///" + a.target) as channel:
        check = channel.unary_unary(
            "/grpc.health.v1.Health/Check",
            request_serializer=lambda x: b"",
            response_deserializer=lambda b: b,
        )
        for _ in range(a.n):
            if a.max_errors is not None and tally["errors"] >= a.max_errors:
                break
            left = end - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            try:
                _, call = check.with_call(b"", timeout=min(a.deadline_ms / 1000.0, left),
                                          metadata=md or None, wait_for_ready=True)
                backend = dict(call.initial_metadata() or ()).get("x-backend-id")
                if backend is None:
                    raise RuntimeError("no x-backend-id in the response headers")
                tally[backend] = tally.get(backend, 0) + 1
            except (grpc.RpcError, RuntimeError) as e:
                tally["errors"] += 1
                if errors_logged < 5:
                    errors_logged += 1
                    print("call failed: %s" % (e,), file=sys.stderr, flush=True)
    if timed_out:
        tally["timedOut"] = True
    sys.stderr.flush()
    print(json.dumps(tally), flush=True)
    return 3 if timed_out else 0


if __name__ == "__main__":
    sys.exit(main())
