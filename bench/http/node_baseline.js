#!/usr/bin/env node
// The HTTP baseline kzgd is compared with: a minimal Node.js http server wrapping c-kzg 4.1.0 with the same
// JSON API for verify_blob_kzg_proof and blob_to_kzg_commitment (POST /v1/<op>, body = input, answer
// {"output": ...}). Usage: node node_baseline.js PORT (c-kzg from ../node/node_modules, see ../node/run.sh).
'use strict';
const http = require('http');
const path = require('path');
const kzg = require(path.join(__dirname, '..', 'node', 'node_modules', 'c-kzg'));

kzg.loadTrustedSetup(0);
const hex = (s) => Buffer.from(s.slice(2), 'hex');
const ops = {
  verify_blob_kzg_proof: (i) => kzg.verifyBlobKzgProof(hex(i.blob), hex(i.commitment), hex(i.proof)),
  blob_to_kzg_commitment: (i) => '0x' + Buffer.from(kzg.blobToKzgCommitment(hex(i.blob))).toString('hex'),
};

http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const op = ops[req.url.replace('/v1/', '')];
    try {
      const output = op(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(200, {'Content-Type': 'application/json'});
      res.end(JSON.stringify({output}));
    } catch (e) {
      res.writeHead(400, {'Content-Type': 'application/json'});
      res.end(JSON.stringify({error: {message: String(e)}}));
    }
  });
}).listen(Number(process.argv[2] || 8090), '127.0.0.1');
