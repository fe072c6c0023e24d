#!/usr/bin/env node
// The contract test (docs/service.md, "The published contract"): kzgd's OpenAPI document lints clean, and every HTTP answer the tests receive
// validates against it.
//
//   node tests/openapi/validate.cjs KZGD KZGD_TESTS
//
// 1. `KZGD --openapi` is linted with @apidevtools/swagger-parser (OpenAPI 3.1 schema, references).
// 2. KZGD_TESTS (the service's gtest binary) runs with KZGD_TEST_ANSWERS_DIR set: its HTTP client writes every
//    answer it reads there. Each answer to a documented path must have a documented status and media type, and
//    its body must validate against that schema; an error answer to any other path (the tests' fake operations)
//    must still be the documented error envelope.
// 3. A real kzgd, on the embedded mainnet setup, gets a valid request for every operation, both body forms, a
//    batch, and bad requests of each kind; every answer is validated the same way.
// Modules come from NODE_PATH (CMake installs them into the build tree from tests/openapi/package-lock.json).
'use strict';

const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const SwaggerParser = require('@apidevtools/swagger-parser');
const Ajv2020 = require('ajv/dist/2020').default;

const [kzgd, kzgdTests] = process.argv.slice(2);
if (!kzgd || !kzgdTests) {
  console.error('usage: validate.cjs KZGD KZGD_TESTS');
  process.exit(2);
}

const failures = [];
const counts = { documented: 0, envelopes: 0, skipped: 0 };

function fail(message) {
  failures.push(message);
  if (failures.length <= 40) console.error('FAIL ' + message);
}

// --- 1. the document, linted ---------------------------------------------------------------------------------

const text = execFileSync(kzgd, ['--openapi'], { encoding: 'utf8', maxBuffer: 64 << 20 });
const doc = JSON.parse(text);

const ajv = new Ajv2020({ strict: false, allErrors: false });
// The whole document is one schema, so "#/components/..." references resolve inside it.
ajv.addSchema({ ...doc, $id: 'kzgd-openapi' });
const validators = new Map();

function validatorFor(pointer) {
  if (!validators.has(pointer)) validators.set(pointer, ajv.compile({ $ref: 'kzgd-openapi#' + pointer }));
  return validators.get(pointer);
}

function escape(token) {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

function deref(node) {
  while (node && node.$ref) {
    node = node.$ref
      .slice(2)
      .split('/')
      .reduce((n, t) => n[t.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return node;
}

// Validates one answer: {method, target, status, content_type, body}.
function check(answer, origin) {
  const route = answer.target.split('?')[0];
  const where = `${origin}: ${answer.method} ${answer.target} -> ${answer.status}`;
  const mediaType = (answer.content_type || '').split(';')[0].trim();
  if (answer.method === 'HEAD') return counts.skipped++;  // GET's headers without the body
  let operation = doc.paths[route] && doc.paths[route][answer.method.toLowerCase()];
  // The HTTP tests run kzgd on test backends that serve only some operations: their 404 unknown_operation for a
  // documented path is an undocumented path to them.
  if (operation && answer.status === 404 && /"code":"unknown_operation"/.test(answer.body)) operation = undefined;
  if (!operation) {
    // Not a documented operation: unknown paths, wrong methods, the tests' fake operations. An error answer
    // in JSON must still be the error envelope.
    if (answer.status >= 400 && mediaType === 'application/json') {
      counts.envelopes++;
      validate('/components/schemas/Error', answer.body, where);
    } else {
      counts.skipped++;
    }
    return;
  }
  counts.documented++;
  const responseKey = String(answer.status);
  if (!operation.responses[responseKey]) return fail(`${where}: status ${answer.status} is not documented`);
  const response = deref(operation.responses[responseKey]);
  const content = response.content || {};
  if (!content[mediaType]) return fail(`${where}: media type "${mediaType}" is not documented for this status`);
  if (mediaType !== 'application/json') return;
  const pointer = operation.responses[responseKey].$ref
    ? operation.responses[responseKey].$ref.slice(1) + `/content/${escape(mediaType)}/schema`
    : `/paths/${escape(route)}/${answer.method.toLowerCase()}/responses/${responseKey}/content/${escape(mediaType)}/schema`;
  validate(pointer, answer.body, where);
}

function validate(pointer, body, where) {
  let value;
  try {
    value = JSON.parse(body);
  } catch (e) {
    return fail(`${where}: the body is not JSON: ${e.message}`);
  }
  const v = validatorFor(pointer);
  if (!v(value)) fail(`${where}: ${ajv.errorsText(v.errors)} (schema ${pointer}); body ${body.slice(0, 300)}`);
}

// --- 3. a real kzgd ------------------------------------------------------------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function request(port, method, target, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const h = { ...headers };
    if (payload) h['Content-Length'] = payload.length;
    if (payload && !h['Content-Type']) h['Content-Type'] = 'application/json';
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers: h }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({
          method,
          target,
          status: res.statusCode,
          content_type: res.headers['content-type'] || '',
          raw: Buffer.concat(chunks),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

const hex = (bytes) => '0x' + Buffer.from(bytes).toString('hex');

// A blob of canonical field elements: each 32-byte element starts with a zero byte, so it is below r.
function randomBlob() {
  const blob = crypto.randomBytes(131072);
  for (let i = 0; i < 131072; i += 32) blob[i] = 0;
  return blob;
}

async function realService() {
  const port = await freePort();
  const child = spawn(kzgd, ['--listen', `127.0.0.1:${port}`, '--grpc-listen', '127.0.0.1:0', '--log-level', 'warn'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const deadline = Date.now() + 120000;
    for (;;) {
      const r = await request(port, 'GET', '/ready').catch(() => null);
      if (r && r.status === 200) break;
      if (Date.now() > deadline) throw new Error('kzgd did not become ready in 120 s');
      await new Promise((res) => setTimeout(res, 200));
    }
    const seen = [];
    const ask = async (method, target, body, headers) => {
      const r = await request(port, method, target, body, headers);
      seen.push(r);
      return r;
    };
    const op = async (name, input, wanted = 200) => {
      const r = await ask('POST', '/v1/' + name, JSON.stringify(input));
      if (r.status !== wanted) fail(`real kzgd: ${name} answered ${r.status}, expected ${wanted}: ${r.body.slice(0, 200)}`);
      return r.status === 200 ? JSON.parse(r.body).output : undefined;
    };

    for (const target of ['/health', '/ready', '/metrics', '/openapi.json', '/debug/memory', '/debug/cpu', '/debug/profile', '/debug/tracing', '/nope'])
      await ask('GET', target);
    await ask('GET', '/v1/verify_kzg_proof');

    const blob = randomBlob();
    const z = hex(Buffer.concat([Buffer.from([0]), crypto.randomBytes(31)]));
    const commitment = await op('blob_to_kzg_commitment', { blob: hex(blob) });
    const [proof, y] = (await op('compute_kzg_proof', { blob: hex(blob), z })) || [];
    const blobProof = await op('compute_blob_kzg_proof', { blob: hex(blob), commitment });
    await op('verify_kzg_proof', { commitment, z, y, proof });
    await op('verify_blob_kzg_proof', { blob: hex(blob), commitment, proof: blobProof });
    await op('verify_blob_kzg_proof_batch', { blobs: [hex(blob)], commitments: [commitment], proofs: [blobProof] });
    await op('compute_challenge', { blob: hex(blob), commitment });
    const cells = await op('compute_cells', { blob: hex(blob) });
    const [cells2, proofs] = (await op('compute_cells_and_kzg_proofs', { blob: hex(blob) })) || [[], []];
    if (JSON.stringify(cells) !== JSON.stringify(cells2)) fail('real kzgd: compute_cells and compute_cells_and_kzg_proofs disagree');
    const half = [...Array(64).keys()].map((i) => 2 * i);
    await op('recover_cells_and_kzg_proofs', { cell_indices: half, cells: half.map((i) => cells2[i]) });
    await op('recover_cells', { cell_indices: half, cells: half.map((i) => cells2[i]) });
    await op('verify_cell_kzg_proof_batch', {
      commitments: [commitment, commitment],
      cell_indices: [0, 1],
      cells: [cells2[0], cells2[1]],
      proofs: [proofs[0], proofs[1]],
    });
    const evals = (cell) => [...Array(64).keys()].map((k) => '0x' + cell.slice(2 + 64 * k, 2 + 64 * (k + 1)));
    await op('compute_verify_cell_kzg_proof_batch_challenge', {
      commitments: [commitment],
      commitment_indices: [0, 0],
      cell_indices: [0, 1],
      cosets_evals: [evals(cells2[0]), evals(cells2[1])],
      proofs: [proofs[0], proofs[1]],
    });
    // Binary bodies and answers.
    const commitmentBytes = Buffer.from(commitment.slice(2), 'hex');
    const binary = { 'Content-Type': 'application/octet-stream', Accept: 'application/octet-stream' };
    for (const [name, body] of [
      ['blob_to_kzg_commitment', blob],
      ['compute_blob_kzg_proof', Buffer.concat([blob, commitmentBytes])],
      ['verify_blob_kzg_proof', Buffer.concat([blob, commitmentBytes, Buffer.from(blobProof.slice(2), 'hex')])],
    ]) {
      const r = await ask('POST', '/v1/' + name, body, binary);
      if (r.status !== 200 || !r.content_type.startsWith('application/octet-stream'))
        fail(`real kzgd: binary ${name} answered ${r.status} ${r.content_type}`);
    }
    await ask('POST', '/v1/blob_to_kzg_commitment', blob.subarray(0, 1000), binary);  // 400 invalid_length
    await ask('POST', '/v1/compute_kzg_proof', blob, binary);  // 415: no binary form
    // A batch with a good and a bad item, and bad batches.
    await ask('POST', '/v1/batch', JSON.stringify({ requests: [
      { op: 'compute_challenge', input: { blob: hex(blob), commitment } },
      { op: 'verify_kzg_proof', input: { commitment, z, y } },
      { op: 'no_such_op', input: {} },
    ] }));
    await ask('POST', '/v1/batch', '{"requests": 5}');
    await ask('POST', '/v1/batch', JSON.stringify({ requests: Array(100000).fill({ op: 'x', input: {} }) }));
    // Bad inputs of each kind.
    await op('blob_to_kzg_commitment', { blob: '0x1234' }, 400);
    await op('blob_to_kzg_commitment', { blob: 'zz' }, 400);
    await op('blob_to_kzg_commitment', {}, 400);
    await op('verify_kzg_proof', { commitment, z, y: 7, proof }, 400);
    await op('verify_kzg_proof', { commitment: hex(Buffer.alloc(48, 0xff)), z, y, proof }, 400);
    await op('compute_kzg_proof', { blob: hex(blob), z: hex(Buffer.alloc(32, 0xff)) }, 400);
    await op('recover_cells', { cell_indices: [0], cells: [cells2[0]] }, 400);
    await op('verify_cell_kzg_proof_batch', { commitments: [commitment], cell_indices: [0, 1], cells: [cells2[0]], proofs: [proofs[0]] }, 400);
    await ask('POST', '/v1/verify_kzg_proof', '{"commitment": ', {});
    await ask('POST', '/v1/verify_kzg_proof', '{"a": 1, "a": 2}', {});
    await ask('POST', '/v1/verify_kzg_proof', JSON.stringify({ commitment, z, y, proof }), { 'X-Request-Timeout': 'soon' });
    for (const r of seen) check(r, 'real kzgd');
    return seen.length;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

// --- main ----------------------------------------------------------------------------------------------------

(async () => {
  await SwaggerParser.validate(JSON.parse(text));
  console.log(`openapi: ${Object.keys(doc.paths).length} paths lint clean (@apidevtools/swagger-parser, OpenAPI ${doc.openapi})`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kzgd-answers-'));
  try {
    // The service's HTTP-level suites; their answers are what the contract promises.
    const filter = process.env.OPENAPI_TEST_FILTER || '*Service*:*Security*:*Hardening*:*Overload*:*Tls*:*SlowClient*:*Tracing*';
    execFileSync(kzgdTests, ['--gtest_filter=' + filter, '--gtest_brief=1'], {
      env: { ...process.env, KZGD_TEST_ANSWERS_DIR: dir },
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 600000,
    });
    let recorded = 0;
    for (const file of fs.readdirSync(dir)) {
      for (const line of fs.readFileSync(path.join(dir, file), 'utf8').split('\n')) {
        if (!line) continue;
        recorded++;
        check(JSON.parse(line), 'kzgd_tests');
      }
    }
    console.log(`kzgd_tests: ${recorded} answers recorded`);
    if (recorded < 200) fail(`only ${recorded} answers were recorded from kzgd_tests: is the recording broken?`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const real = await realService();
  console.log(`real kzgd: ${real} answers`);
  console.log(`validated: ${counts.documented} answers to documented operations, ${counts.envelopes} error envelopes elsewhere; ${counts.skipped} skipped (not JSON errors on undocumented paths)`);
  if (counts.documented < 60) fail(`only ${counts.documented} answers to documented operations were validated`);
  if (failures.length) {
    console.error(`${failures.length} answer(s) do not match the OpenAPI document`);
    process.exit(1);
  }
})().catch((e) => {
  console.error(e && e.stack ? e.stack : e);
  process.exit(1);
});
