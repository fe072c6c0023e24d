#!/usr/bin/env node
// The baseline kzgd's own benchmarks are compared with: the median wall time of each EIP-4844 and
// EIP-7594 spec function in c-kzg 4.1.0 (or node-eth-kzg 0.10.0 with --lib=eth-kzg), on the
// mainnet trusted setup, one JSON line per function. Inputs are deterministic, valid and checked:
// every verification must return true, or the run stops.
//
// Usage: node ckzg_bench.js [--lib=c-kzg|eth-kzg] [--precompute=8] [--seconds=2] [--min-iterations=5]
'use strict';

const crypto = require('crypto');

const FIELD_ELEMENTS_PER_BLOB = 4096;
const BYTES_PER_FIELD_ELEMENT = 32;
const CELLS_PER_EXT_BLOB = 128;
const BATCH_BLOBS = 64;

function parseArgs(argv) {
  const options = {lib: 'c-kzg', precompute: 8, seconds: 2, minIterations: 5};
  for (const arg of argv) {
    const match = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (arg === '--help' || !match) {
      console.error('usage: node ckzg_bench.js [--lib=c-kzg|eth-kzg] [--precompute=8] [--seconds=2] ' +
                    '[--min-iterations=5]');
      process.exit(arg === '--help' ? 0 : 2);
    }
    const [, key, value] = match;
    if (key === 'lib') options.lib = value;
    else if (key === 'precompute') options.precompute = Number(value);
    else if (key === 'seconds') options.seconds = Number(value);
    else if (key === 'min-iterations') options.minIterations = Number(value);
    else {
      console.error(`unknown option --${key}`);
      process.exit(2);
    }
  }
  return options;
}

// Deterministic bytes: SHA-256 of a label and a counter.
function deterministicBytes(label, length) {
  const out = Buffer.alloc(length);
  for (let offset = 0, counter = 0; offset < length; offset += 32, counter++) {
    crypto.createHash('sha256').update(`${label}/${counter}`).digest().copy(out, offset);
  }
  return out;
}

// A valid blob: each big-endian 32-byte field element gets a top byte below 0x73, so it is < r.
function makeBlob(index) {
  const blob = deterministicBytes(`kzgd-bench-blob-${index}`, FIELD_ELEMENTS_PER_BLOB * BYTES_PER_FIELD_ELEMENT);
  for (let i = 0; i < FIELD_ELEMENTS_PER_BLOB; i++) blob[i * BYTES_PER_FIELD_ELEMENT] %= 0x73;
  return new Uint8Array(blob);
}

function makeFieldElement(label) {
  const bytes = deterministicBytes(label, BYTES_PER_FIELD_ELEMENT);
  bytes[0] %= 0x73;
  return new Uint8Array(bytes);
}

// One interface over both libraries; cells-and-proofs results become [cells, proofs].
function loadLibrary(options) {
  if (options.lib === 'c-kzg') {
    const ckzg = require('c-kzg');
    const version = require('c-kzg/package.json').version;
    const started = process.hrtime.bigint();
    ckzg.loadTrustedSetup(options.precompute);  // the mainnet setup bundled with the package
    const setupMs = Number(process.hrtime.bigint() - started) / 1e6;
    return {name: 'c-kzg', version, setupMs, params: {precompute: options.precompute}, api: ckzg};
  }
  if (options.lib === 'eth-kzg') {
    const {DasContextJs} = require('@crate-crypto/node-eth-kzg');
    const version = require('@crate-crypto/node-eth-kzg/package.json').version;
    const started = process.hrtime.bigint();
    const context = DasContextJs.create({usePrecomp: true});
    const setupMs = Number(process.hrtime.bigint() - started) / 1e6;
    const api = {
      blobToKzgCommitment: (blob) => context.blobToKzgCommitment(blob),
      computeKzgProof: (blob, z) => context.computeKzgProof(blob, z),
      computeBlobKzgProof: (blob, c) => context.computeBlobKzgProof(blob, c),
      verifyKzgProof: (c, z, y, p) => context.verifyKzgProof(c, z, y, p),
      verifyBlobKzgProof: (blob, c, p) => context.verifyBlobKzgProof(blob, c, p),
      verifyBlobKzgProofBatch: (blobs, cs, ps) => context.verifyBlobKzgProofBatch(blobs, cs, ps),
      computeCells: (blob) => context.computeCells(blob),
      computeCellsAndKzgProofs: (blob) => {
        const r = context.computeCellsAndKzgProofs(blob);
        return [r.cells, r.proofs];
      },
      recoverCellsAndKzgProofs: (indices, cells) => {
        const r = context.recoverCellsAndKzgProofs(indices, cells);
        return [r.cells, r.proofs];
      },
      verifyCellKzgProofBatch: (cs, indices, cells, ps) => context.verifyCellKzgProofBatch(cs, indices, cells, ps),
    };
    return {name: 'node-eth-kzg', version, setupMs, params: {usePrecomp: true}, api};
  }
  console.error(`unknown --lib=${options.lib} (c-kzg or eth-kzg)`);
  process.exit(2);
}

function check(condition, what) {
  if (!condition) {
    console.error(`benchmark input check failed: ${what}`);
    process.exit(1);
  }
}

// Runs fn once to warm up, then at least minIterations times and until `seconds` have passed.
function measure(fn, options) {
  fn();
  const samples = [];
  const deadline = process.hrtime.bigint() + BigInt(Math.round(options.seconds * 1e9));
  while (samples.length < options.minIterations || process.hrtime.bigint() < deadline) {
    const started = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length >> 1;
  const median = samples.length % 2 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2;
  return {median, iterations: samples.length, min: samples[0]};
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const lib = loadLibrary(options);
  const k = lib.api;
  const emit = (op, result, extra = {}) => {
    console.log(JSON.stringify({
      lib: lib.name, version: lib.version, op, median_ms: Number(result.median.toFixed(4)),
      min_ms: Number(result.min.toFixed(4)), iterations: result.iterations, ...lib.params, ...extra,
    }));
  };
  console.log(JSON.stringify({lib: lib.name, version: lib.version, op: 'load_trusted_setup',
                              ms: Number(lib.setupMs.toFixed(1)), ...lib.params}));

  // Inputs, built with the library itself and checked.
  const blob = makeBlob(0);
  const z = makeFieldElement('kzgd-bench-z');
  const commitment = k.blobToKzgCommitment(blob);
  const [proof, y] = k.computeKzgProof(blob, z);
  const blobProof = k.computeBlobKzgProof(blob, commitment);
  check(k.verifyKzgProof(commitment, z, y, proof), 'verifyKzgProof');
  check(k.verifyBlobKzgProof(blob, commitment, blobProof), 'verifyBlobKzgProof');

  const batchBlobs = [blob];
  const batchCommitments = [commitment];
  const batchProofs = [blobProof];
  for (let i = 1; i < BATCH_BLOBS; i++) {
    const b = makeBlob(i);
    const c = k.blobToKzgCommitment(b);
    batchBlobs.push(b);
    batchCommitments.push(c);
    batchProofs.push(k.computeBlobKzgProof(b, c));
  }
  check(k.verifyBlobKzgProofBatch(batchBlobs, batchCommitments, batchProofs), 'verifyBlobKzgProofBatch');

  const [cells, cellProofs] = k.computeCellsAndKzgProofs(blob);
  check(cells.length === CELLS_PER_EXT_BLOB && cellProofs.length === CELLS_PER_EXT_BLOB, 'cell count');
  const allIndices = Array.from({length: CELLS_PER_EXT_BLOB}, (_, i) => i);
  const halfIndices = allIndices.filter((i) => i % 2 === 1);  // the minimum recovery needs
  const halfCells = halfIndices.map((i) => cells[i]);
  const [recovered] = k.recoverCellsAndKzgProofs(halfIndices, halfCells);
  check(recovered.every((cell, i) => Buffer.compare(Buffer.from(cell), Buffer.from(cells[i])) === 0),
        'recoverCellsAndKzgProofs');
  const cellCommitments = allIndices.map(() => commitment);
  check(k.verifyCellKzgProofBatch(cellCommitments, allIndices, cells, cellProofs), 'verifyCellKzgProofBatch');

  emit('blobToKzgCommitment', measure(() => k.blobToKzgCommitment(blob), options));
  emit('computeKzgProof', measure(() => k.computeKzgProof(blob, z), options));
  emit('computeBlobKzgProof', measure(() => k.computeBlobKzgProof(blob, commitment), options));
  emit('verifyKzgProof', measure(() => k.verifyKzgProof(commitment, z, y, proof), options));
  emit('verifyBlobKzgProof', measure(() => k.verifyBlobKzgProof(blob, commitment, blobProof), options));
  emit('verifyBlobKzgProofBatch',
       measure(() => k.verifyBlobKzgProofBatch(batchBlobs, batchCommitments, batchProofs), options),
       {blobs: BATCH_BLOBS});
  emit('computeCells', measure(() => k.computeCells(blob), options));
  emit('computeCellsAndKzgProofs', measure(() => k.computeCellsAndKzgProofs(blob), options));
  emit('recoverCellsAndKzgProofs', measure(() => k.recoverCellsAndKzgProofs(halfIndices, halfCells), options),
       {cells_given: halfIndices.length});
  emit('verifyCellKzgProofBatch',
       measure(() => k.verifyCellKzgProofBatch(cellCommitments, allIndices, cells, cellProofs), options),
       {cells: CELLS_PER_EXT_BLOB, distinct_commitments: 1});
}

main();
