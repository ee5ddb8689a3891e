#!/usr/bin/env node
// Test peer: @grpc/grpc-js-xds as an independent xDS client of our control plane.
//
// Calls grpc.health.v1.Health/Check N times on xds:///<target> and prints one JSON line, the
// tally of which backend answered (response header x-backend-id):
//   {"primary":n,"canary":m,"errors":k}
// Backends other than primary/canary are counted under their own id. Failed calls count as errors
// (the first few error messages go to stderr).
//
// Usage: node client.js --target podinfo.demo:9898 [--n 1000] [--metadata user-agent=curl/8.5.0]...
//                       [--deadline-ms 10000] [--timeout-ms 90000] [--max-errors K]
// The bootstrap comes from the environment (GRPC_XDS_BOOTSTRAP_CONFIG or GRPC_XDS_BOOTSTRAP), as
// grpc-js-xds reads it. After K failed calls it stops early (the tally then has fewer calls).
// Exit code: 0 after printing the tally, 2 on bad usage, 3 on overall timeout (a partial tally is
// still printed, with "timedOut":true).
//
// No generated code: the request (an empty HealthCheckRequest) is serialized as zero bytes and the
// response is not decoded; only its metadata matters.
'use strict';

const grpc = require('@grpc/grpc-js');
require('@grpc/grpc-js-xds').register();

function parseArgs(argv) {
  const o = { target: null, n: 1000, metadata: [], deadlineMs: 10000, timeoutMs: 90000, maxErrors: Infinity };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    switch (a) {
      case '--target': o.target = v; i++; break;
      case '--n': o.n = parseInt(v, 10); i++; break;
      case '--metadata': {
        const eq = v.indexOf('=');
        if (eq <= 0) throw new Error('--metadata wants key=value, got ' + v);
        o.metadata.push([v.slice(0, eq), v.slice(eq + 1)]);
        i++;
        break;
      }
      case '--deadline-ms': o.deadlineMs = parseInt(v, 10); i++; break;
      case '--timeout-ms': o.timeoutMs = parseInt(v, 10); i++; break;
      case '--max-errors': o.maxErrors = parseInt(v, 10); i++; break;
      default: throw new Error('unknown argument ' + a);
    }
  }
  if (!o.target || !(o.n > 0)) throw new Error('--target is required and --n must be positive');
  return o;
}

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write(String(e.message) + '\n');
  process.exit(2);
}

const tally = { primary: 0, canary: 0, errors: 0 };
let printed = false;
function finish(code, extra) {
  if (printed) return;
  printed = true;
  process.stdout.write(JSON.stringify(Object.assign({}, tally, extra || {})) + '\n', () => process.exit(code));
}

// Overall bound: whatever happens, print what we have and exit.
setTimeout(() => finish(3, { timedOut: true }), opts.timeoutMs).unref();

const client = new grpc.Client('xds:///' + opts.target, grpc.credentials.createInsecure());
let errorsLogged = 0;

function callOnce() {
  return new Promise((resolve) => {
    const md = new grpc.Metadata({ waitForReady: true });
    for (const [k, v] of opts.metadata) md.set(k, v);
    let backend = null;
    const call = client.makeUnaryRequest(
      '/grpc.health.v1.Health/Check',
      () => Buffer.alloc(0),
      (b) => b,
      Buffer.alloc(0),
      md,
      { deadline: Date.now() + opts.deadlineMs },
      (err) => {
        if (err || backend === null) {
          tally.errors++;
          if (errorsLogged++ < 5) {
            process.stderr.write('call failed: ' + (err ? err.code + ' ' + err.details : 'no x-backend-id') + '\n');
          }
        } else {
          tally[backend] = (tally[backend] || 0) + 1;
        }
        resolve();
      });
    call.on('metadata', (m) => {
      const v = m.get('x-backend-id');
      if (v.length > 0) backend = String(v[0]);
    });
  });
}

(async () => {
  for (let i = 0; i < opts.n && tally.errors < opts.maxErrors; i++) {
    await callOnce();
  }
  client.close();
  finish(0);
})();
