#!/usr/bin/env node
// The baseline kzgd's HTTP throughput is compared with: a minimal Node.js http server around c-kzg 4.1.0 that
// serves the same JSON API as kzgd for four operations:
//   POST /v1/verify_kzg_proof        {"commitment", "z", "y", "proof"} -> {"output": true|false}
//   POST /v1/verify_blob_kzg_proof   {"blob", "commitment", "proof"} -> {"output": true|false}
//   POST /v1/blob_to_kzg_commitment  {"blob"}                        -> {"output": "0x..."}
//   POST /v1/compute_cells_and_kzg_proofs {"blob"}                   -> {"output": [[cells], [proofs]]}
// Errors are 400 {"error": {"code", "message", "field"}}, unknown paths 404.
// Usage: node node_baseline.js PORT   (c-kzg is found through NODE_PATH; bench/http/run.sh sets it up)
// It runs as a cluster of NODE_WORKERS processes sharing the port (default: one per core), as Node services are
// deployed to use every core: c-kzg's calls are synchronous, so one process uses one core.
'use strict';
const cluster = require('cluster');
const http = require('http');
const os = require('os');

const workers = Number(process.env.NODE_WORKERS || os.cpus().length);
if (cluster.isPrimary && workers > 1) {
  for (let i = 0; i < workers; ++i) cluster.fork();
  cluster.on('exit', (w, code) => process.exit(code || 1));
  return;
}

const kzg = require('c-kzg');
// The mainnet setup bundled with c-kzg, with the precomputation bench/compare gives it (8: the cell proofs' tables;
// the verifications do not use it).
kzg.loadTrustedSetup(8);

const bytes = (input, name) => {
  const v = input[name];
  if (typeof v !== 'string' || !v.startsWith('0x')) throw {code: 'invalid_hex', field: name};
  return Buffer.from(v.slice(2), 'hex');
};
const hex = (b) => '0x' + Buffer.from(b).toString('hex');
const operations = {
  verify_kzg_proof: (i) =>
    kzg.verifyKzgProof(bytes(i, 'commitment'), bytes(i, 'z'), bytes(i, 'y'), bytes(i, 'proof')),
  verify_blob_kzg_proof: (i) => kzg.verifyBlobKzgProof(bytes(i, 'blob'), bytes(i, 'commitment'), bytes(i, 'proof')),
  blob_to_kzg_commitment: (i) => hex(kzg.blobToKzgCommitment(bytes(i, 'blob'))),
  compute_cells_and_kzg_proofs: (i) => kzg.computeCellsAndKzgProofs(bytes(i, 'blob')).map((list) => list.map(hex)),
};

const answer = (res, status, body) => {
  res.writeHead(status, {'Content-Type': 'application/json'});
  res.end(JSON.stringify(body));
};

http.createServer((req, res) => {
  const run = req.method === 'POST' && req.url.startsWith('/v1/') ? operations[req.url.slice(4)] : undefined;
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (!run) return answer(res, 404, {error: {code: 'not_found', message: req.url, field: 'path'}});
    try {
      answer(res, 200, {output: run(JSON.parse(Buffer.concat(chunks).toString()))});
    } catch (e) {
      answer(res, 400, {error: {code: e.code || 'invalid_input', message: String(e.message || e), field: e.field || null}});
    }
  });
}).listen(Number(process.argv[2] || 8090), '127.0.0.1');
