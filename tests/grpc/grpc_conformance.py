#!/usr/bin/env python3
"""Conformance of kzgd's gRPC API, driven by a client that is not ours: Python's grpcio (Debian python3-grpcio),
with message classes that protoc generates from proto/kzg/v1/kzg.proto at test time.

  grpc_conformance.py --kzgd build/service/kzgd --kzg build/tool/kzg --proto proto [--vectors DIR]

What it checks, each against a kzgd process of its own configuration:
  1. plain:  every official vector through gRPC gives what `kzg eval` gives and what the vector says (an error
             for a null output); the error cases (wrong lengths, non-canonical field elements, points off the
             curve or outside G1, too many cells, unsorted indices) are INVALID_ARGUMENT naming the field in the
             message and in a google.rpc.BadRequest detail; Batch and VerifyStream; reflection; the message size
             limit; deadlines; the metrics; health NOT_SERVING while the setup loads, SERVING once loaded and
             NOT_SERVING again while draining.
  2. keys:   missing, unknown and expired API keys are UNAUTHENTICATED, a missing permission PERMISSION_DENIED,
             a burst RESOURCE_EXHAUSTED; both metadata forms (authorization: Bearer, x-api-key) work.
  3. tls:    TLS and mutual TLS with the files of the tls.* keys.
  4. nginx:  two replicas behind the compose stack's nginx (grpc_pass, deploy/compose/nginx.conf): calls are
             spread over both, and keep succeeding when one replica stops (skipped without nginx).
Prints one line per check and a summary; exits 1 when any check failed. The vectors come from
KZG_SPEC_TESTS_DIR, --vectors or ../shared/kzg-spec-tests beside the repository; without them the vector check
is skipped (said so), the others run.
"""
import argparse
import glob
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

try:
    import grpc
    import yaml
except ImportError as e:  # the harness treats 77 as "skipped"
    print(f"grpc_conformance: SKIP: {e} (Debian: python3-grpcio, python3-yaml)")
    sys.exit(77)

failures = []
passes = 0


def check(name, ok, detail=""):
    global passes
    if ok:
        passes += 1
        print(f"ok   {name}")
    else:
        failures.append(name)
        print(f"FAIL {name} {detail}")


# ---- a minimal protobuf reader, for google.rpc.Status and the reflection and health replies ----

def read_varint(b, i):
    shift = value = 0
    while True:
        c = b[i]
        i += 1
        value |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return value, i


def fields(b):
    """(field number, wire type, value) of a serialised message; bytes for length-delimited fields."""
    i, out = 0, []
    while i < len(b):
        key, i = read_varint(b, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            v, i = read_varint(b, i)
        elif wire == 2:
            n, i = read_varint(b, i)
            v, i = b[i:i + n], i + n
        elif wire == 1:
            v, i = b[i:i + 8], i + 8
        elif wire == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ValueError(f"wire type {wire}")
        out.append((number, wire, v))
    return out


def put_string(number, s):
    data = s.encode() if isinstance(s, str) else s
    out, n = bytearray([number << 3 | 2]), len(data)
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out) + data


def status_details(error):
    """{type name: [payload fields]} of a failed call's google.rpc.Status details."""
    details = {}
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        for number, _, any_bytes in fields(value):
            if number != 3:
                continue
            parts = {n: v for n, _, v in fields(any_bytes)}
            details[parts[1].decode().rsplit("/", 1)[-1]] = fields(parts.get(2, b""))
    return details


def bad_request_fields(error):
    out = []
    for number, _, violation in status_details(error).get("google.rpc.BadRequest", []):
        if number == 1:
            out.append({n: v.decode() for n, _, v in fields(violation)})
    return out


# ---- kzgd processes ----

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Kzgd:
    def __init__(self, exe, work, name, env=None, args=()):
        self.http_port, self.grpc_port = free_port(), free_port()
        self.log_path = os.path.join(work, name + ".log")
        full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "KZGD_LOG_LEVEL": "info"}
        # A sanitizer build's settings (CI's ASAN_OPTIONS, ...) reach kzgd; nothing else of the environment does.
        full_env.update({k: v for k, v in os.environ.items() if k.split("_")[0] in ("ASAN", "UBSAN", "LSAN")})
        full_env.update(env or {})
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([exe, "--listen", f"127.0.0.1:{self.http_port}", "--grpc-listen",
                                      f"127.0.0.1:{self.grpc_port}", *args], env=full_env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if "listening for gRPC" in open(self.log_path).read():
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"{name}: kzgd did not come up:\n" + open(self.log_path).read())

    def metrics(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.http_port}/metrics", timeout=10) as r:
            return r.read().decode()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


class Client:
    def __init__(self, pb, target, credentials=None, options=()):
        self.pb = pb
        self.channel = (grpc.secure_channel(target, credentials, options=options) if credentials
                        else grpc.insecure_channel(target, options=options))

    def unary(self, method, request, response_type, **kw):
        call = self.channel.unary_unary(f"/kzg.v1.Kzg/{method}", request_serializer=lambda m: m.SerializeToString(),
                                        response_deserializer=response_type.FromString)
        return call(request, **kw)

    def health(self, service="", timeout=5):
        call = self.channel.unary_unary("/grpc.health.v1.Health/Check", request_serializer=lambda b: b,
                                        response_deserializer=lambda b: b)
        reply = call(put_string(1, service) if service else b"", timeout=timeout)
        status = dict((n, v) for n, _, v in fields(reply)).get(1, 0)
        return {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"}[status]

    def health_watch(self, service=""):
        call = self.channel.unary_stream("/grpc.health.v1.Health/Watch", request_serializer=lambda b: b,
                                         response_deserializer=lambda b: b)
        for reply in call(put_string(1, service) if service else b""):
            status = dict((n, v) for n, _, v in fields(reply)).get(1, 0)
            yield {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING"}.get(status, str(status))

    def reflection_services(self):
        call = self.channel.stream_stream("/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
                                          request_serializer=lambda b: b, response_deserializer=lambda b: b)
        names = []
        for reply in call(iter([put_string(7, "*")]), timeout=10):
            for number, _, v in fields(reply):
                if number == 6:  # list_services_response
                    for n2, _, service in fields(v):
                        if n2 == 1:
                            names += [x.decode() for n3, _, x in fields(service) if n3 == 1]
        return names


def expect_error(name, fn, code, field=None):
    try:
        fn()
    except grpc.RpcError as e:
        ok = e.code() == code
        detail = f"got {e.code()} {e.details()!r}"
        if ok and field is not None:
            violations = bad_request_fields(e)
            # The field, or an item of it ("cell_indices[1]").
            named = lambda text: text == field or text.startswith(field + "[")
            ok = named((e.details() or "").split(":")[0]) and any(named(v.get(1, "")) for v in violations)
            detail += f" violations {violations}"
        check(name, ok, detail)
        return e
    check(name, False, f"expected {code}, the call succeeded")
    return None


# ---- the vectors ----

RPC = {}  # operation -> (method, request type, response type)


def rpc_name(op):
    return "".join(part.capitalize() for part in op.split("_"))


def setup_rpc_table(pb):
    service = pb.DESCRIPTOR.services_by_name["Kzg"]
    for method in service.methods:
        RPC[method.name] = method
    return service


def message_class(pb, descriptor):
    return getattr(pb, descriptor.name)


def build_request(pb, op, data):
    method = RPC[rpc_name(op)]
    request = message_class(pb, method.input_type)()
    for field in method.input_type.fields:
        if field.name not in data:
            continue
        value = data[field.name]
        if field.message_type is not None:  # cosets_evals: lists of field elements
            for inner in value:
                getattr(request, field.name).add(evals=[bytes.fromhex(x[2:]) for x in inner])
        elif field.type == field.TYPE_BYTES:
            if field.label == field.LABEL_REPEATED:
                getattr(request, field.name).extend(bytes.fromhex(x[2:]) for x in value)
            else:
                setattr(request, field.name, bytes.fromhex(value[2:]))
        else:
            if field.label == field.LABEL_REPEATED:
                getattr(request, field.name).extend(int(x) for x in value)
            else:
                setattr(request, field.name, int(value))
    return method, request


def response_value(method, response):
    """The response as the vectors write outputs: a value, or a list of them for two or more outputs."""
    values = []
    for field in method.output_type.fields:
        v = getattr(response, field.name)
        if field.type == field.TYPE_BOOL:
            values.append(v)
        elif field.label == field.LABEL_REPEATED:
            values.append(["0x" + x.hex() for x in v])
        else:
            values.append("0x" + v.hex())
    return values[0] if len(values) == 1 else values


def run_vectors(pb, client, kzg, vectors, work):
    cases = []
    for path in sorted(glob.glob(os.path.join(vectors, "*", "kzg-mainnet", "*", "data.yaml"))):
        op = path.split(os.sep)[-4]
        with open(path) as f:
            data = yaml.load(f, Loader=yaml.CSafeLoader)
        cases.append((op, os.path.basename(os.path.dirname(path)), data))
    # kzg eval: every vector in one process.
    lines = "".join(json.dumps({"id": i, "op": op, "input": d["input"]}) + "\n" for i, (op, _, d) in enumerate(cases))
    eval_out = subprocess.run([kzg, "eval"], input=lines, capture_output=True, text=True, check=False).stdout
    by_id = {}
    for line in eval_out.splitlines():
        item = json.loads(line)
        by_id[item["id"]] = item
    agree = 0
    bad = []
    for i, (op, case, data) in enumerate(cases):
        method, request = build_request(pb, op, data["input"])
        expected = data["output"]
        eval_item = by_id.get(i, {})
        try:
            got = response_value(method, client.unary(method.name, request, message_class(pb, method.output_type),
                                                      timeout=60))
            ok = expected is not None and got == expected and eval_item.get("output") == got
        except grpc.RpcError as e:
            got = f"{e.code()} {e.details()}"
            ok = (expected is None and e.code() == grpc.StatusCode.INVALID_ARGUMENT
                  and eval_item.get("output") is None and "error" in eval_item)
        if ok:
            agree += 1
        else:
            bad.append(f"{op}/{case}: {str(got)[:120]}")
    check(f"{len(cases)} official vectors through gRPC agree with kzg eval and the vectors ({agree} agree)",
          agree == len(cases) and len(cases) > 300, "; ".join(bad[:5]))
    return len(cases), agree


# ---- the checks ----

def plain_checks(pb, args, work):
    cache = os.path.join(work, "tables.cache")
    env = {"KZGD_SETUP_TABLE_CACHE": cache, "KZGD_SHUTDOWN_DRAIN_DELAY_SECONDS": "1.5",
           "KZGD_LIMITS_MAX_BODY_BYTES": "1MiB", "KZGD_WORKERS_THREADS": "1", "KZGD_WORKERS_EXPRESS_THREADS": "0",
           # Estimates far below the real cost, so that the deadline check below is admitted and then waits.
           "KZGD_RATE_LIMIT_COSTS": "compute_cells_and_kzg_proofs=1, compute_cells=1"}
    if os.path.exists(cache):
        os.unlink(cache)
    server = Kzgd(args.kzgd, work, "plain", env)
    client = Client(pb, f"127.0.0.1:{server.grpc_port}")
    try:
        # Health: the setup is still loading (no cache yet: about 4 s), then it is served.
        first = client.health()
        check("health NOT_SERVING while the setup loads", first == "NOT_SERVING", first)
        deadline = time.time() + 60
        while client.health() != "SERVING" and time.time() < deadline:
            time.sleep(0.1)
        check("health SERVING once the setup is loaded", client.health() == "SERVING")
        check("health of kzg.v1.Kzg SERVING", client.health("kzg.v1.Kzg") == "SERVING")

        services = client.reflection_services()
        check("reflection lists kzg.v1.Kzg and grpc.health.v1.Health",
              "kzg.v1.Kzg" in services and "grpc.health.v1.Health" in services, str(services))

        if args.vectors:
            run_vectors(pb, client, args.kzg, args.vectors, work)
        else:
            print("skip official vectors: none found (KZG_SPEC_TESTS_DIR)")

        blob = bytes(131072)
        commitment = client.unary("BlobToKzgCommitment", pb.BlobToKzgCommitmentRequest(blob=blob),
                                  pb.BlobToKzgCommitmentResponse).commitment
        IA = grpc.StatusCode.INVALID_ARGUMENT
        expect_error("a short blob is INVALID_ARGUMENT naming blob",
                     lambda: client.unary("BlobToKzgCommitment", pb.BlobToKzgCommitmentRequest(blob=b"\x01" * 100),
                                          pb.BlobToKzgCommitmentResponse), IA, "blob")
        expect_error("a missing commitment is INVALID_ARGUMENT naming commitment",
                     lambda: client.unary("VerifyBlobKzgProof", pb.VerifyBlobKzgProofRequest(blob=blob, proof=commitment),
                                          pb.VerifyResponse), IA, "commitment")
        r = bytes.fromhex("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001")
        expect_error("a non-canonical z is INVALID_ARGUMENT naming z",
                     lambda: client.unary("VerifyKzgProof", pb.VerifyKzgProofRequest(commitment=commitment, z=r,
                                                                                      y=bytes(32), proof=commitment),
                                          pb.VerifyResponse), IA, "z")
        bad_blob = b"\xff" * 32 + bytes(131072 - 32)
        expect_error("a blob with a non-canonical element is INVALID_ARGUMENT naming blob",
                     lambda: client.unary("BlobToKzgCommitment", pb.BlobToKzgCommitmentRequest(blob=bad_blob),
                                          pb.BlobToKzgCommitmentResponse), IA, "blob")
        x_too_big = bytes([0x9a]) + b"\xff" * 47  # compressed, x >= p
        expect_error("a commitment whose x is not a field element is INVALID_ARGUMENT naming commitment",
                     lambda: client.unary("VerifyKzgProof", pb.VerifyKzgProofRequest(commitment=x_too_big, z=bytes(32),
                                                                                      y=bytes(32), proof=commitment),
                                          pb.VerifyResponse), IA, "commitment")
        # x = 4 has no point on y^2 = x^3 + 4 (68 is not a square mod p).
        off_curve = bytes([0x80]) + bytes(46) + b"\x04"
        expect_error("a proof off the curve is INVALID_ARGUMENT naming proof",
                     lambda: client.unary("VerifyKzgProof", pb.VerifyKzgProofRequest(commitment=commitment, z=bytes(32),
                                                                                      y=bytes(32), proof=off_curve),
                                          pb.VerifyResponse), IA, "proof")
        cells = client.unary("ComputeCells", pb.ComputeCellsRequest(blob=blob), pb.ComputeCellsResponse).cells
        check("ComputeCells answers 128 cells of 2048 bytes", len(cells) == 128 and all(len(c) == 2048 for c in cells))
        expect_error("129 cells are INVALID_ARGUMENT naming cell_indices",
                     lambda: client.unary("RecoverCellsAndKzgProofs",
                                          pb.RecoverCellsAndKzgProofsRequest(cell_indices=list(range(129)),
                                                                             cells=list(cells) + [cells[0]]),
                                          pb.ComputeCellsAndKzgProofsResponse), IA, "cell_indices")
        unsorted = [1, 0] + list(range(2, 64))
        expect_error("unsorted cell indices are INVALID_ARGUMENT naming cell_indices",
                     lambda: client.unary("RecoverCellsAndKzgProofs",
                                          pb.RecoverCellsAndKzgProofsRequest(cell_indices=unsorted,
                                                                             cells=[cells[i] for i in unsorted]),
                                          pb.ComputeCellsAndKzgProofsResponse), IA, "cell_indices")
        e = expect_error("a message over limits.max_body_bytes is RESOURCE_EXHAUSTED",
                         lambda: client.unary("VerifyBlobKzgProofBatch",
                                              pb.VerifyBlobKzgProofBatchRequest(blobs=[blob] * 9),
                                              pb.VerifyResponse), grpc.StatusCode.RESOURCE_EXHAUSTED)
        error = None
        try:
            client.unary("BlobToKzgCommitment", pb.BlobToKzgCommitmentRequest(blob=b"1"), pb.BlobToKzgCommitmentResponse)
        except grpc.RpcError as caught:
            error = caught
        info = status_details(error).get("google.rpc.ErrorInfo", []) if error else []
        check("errors carry a google.rpc.ErrorInfo with kzgd's code",
              dict((n, v) for n, _, v in info).get(1) == b"invalid_length", str(info))

        # Batch: items answered on their own, in order.
        batch = client.unary("Batch", pb.BatchRequest(requests=[
            pb.BatchItem(blob_to_kzg_commitment=pb.BlobToKzgCommitmentRequest(blob=blob)),
            pb.BatchItem(verify_kzg_proof=pb.VerifyKzgProofRequest(commitment=commitment, z=bytes(32), y=bytes(32),
                                                                   proof=commitment)),
            pb.BatchItem(compute_cells=pb.ComputeCellsRequest(blob=b"12")),
        ]), pb.BatchResponse)
        kinds = [r.WhichOneof("result") for r in batch.responses]
        check("Batch answers each item in order",
              kinds == ["blob_to_kzg_commitment", "verification", "error"]
              and batch.responses[0].blob_to_kzg_commitment.commitment == commitment
              and batch.responses[1].verification.valid
              and batch.responses[2].error.code == 3 and batch.responses[2].error.field == "blob", str(kinds))

        # VerifyStream: answers carry the ids; a wrong proof is false, a malformed one an error.
        wrong = client.unary("ComputeKzgProof", pb.ComputeKzgProofRequest(blob=b"\x00" * 31 + b"\x01" + bytes(131040),
                                                                          z=bytes(32)),
                             pb.ComputeKzgProofResponse).proof

        def requests():
            for i in range(40):
                yield pb.VerifyStreamRequest(id=i, verify_kzg_proof=pb.VerifyKzgProofRequest(
                    commitment=commitment, z=bytes(32), y=bytes(32), proof=commitment if i % 5 else wrong))
            yield pb.VerifyStreamRequest(id=1000, verify_kzg_proof=pb.VerifyKzgProofRequest(commitment=b"x"))

        stream = client.channel.stream_stream("/kzg.v1.Kzg/VerifyStream",
                                              request_serializer=lambda m: m.SerializeToString(),
                                              response_deserializer=pb.VerifyStreamResponse.FromString)
        answers = {a.id: a for a in stream(requests(), timeout=60)}
        check("VerifyStream answers every message by id",
              sorted(answers) == list(range(40)) + [1000]
              and all(answers[i].valid == bool(i % 5) for i in range(40))
              and answers[1000].WhichOneof("result") == "error" and answers[1000].error.field == "commitment",
              str(sorted(answers))[:80])

        # Deadlines: with the one worker busy, a call whose deadline passes while it waits is DEADLINE_EXCEEDED.
        # Four different blobs: identical ones would be computed once (the result cache's single-flight).
        random_blob = lambda: b"".join(b"\x00" + os.urandom(31) for _ in range(4096))
        busy = [client.channel.unary_unary("/kzg.v1.Kzg/ComputeCellsAndKzgProofs",
                                           request_serializer=lambda m: m.SerializeToString(),
                                           response_deserializer=pb.ComputeCellsAndKzgProofsResponse.FromString)
                .future(pb.ComputeCellsAndKzgProofsRequest(blob=random_blob()), timeout=60) for _ in range(4)]
        time.sleep(0.05)
        expect_error("a call past its deadline is DEADLINE_EXCEEDED",
                     lambda: client.unary("ComputeCells", pb.ComputeCellsRequest(blob=blob), pb.ComputeCellsResponse,
                                          timeout=0.1), grpc.StatusCode.DEADLINE_EXCEEDED)
        for f in busy:
            f.result()
        time.sleep(0.2)
        text = server.metrics()
        check("metrics count gRPC calls by method and code",
              'kzgd_grpc_requests_total{code="OK",method="VerifyKzgProof"}' in text
              and 'kzgd_grpc_requests_total{code="INVALID_ARGUMENT",method="BlobToKzgCommitment"}' in text, "")
        dropped = [l for l in text.splitlines() if l.startswith('kzgd_requests_dropped_total{reason="deadline"}')
                   or l.startswith('kzgd_requests_dropped_total{reason="client_gone"}')]
        check("the expired call's work was dropped before it started",
              any(float(l.split()[-1]) >= 1 for l in dropped), str(dropped))
        logged = [json.loads(l) for l in open(server.log_path) if '"protocol":"grpc"' in l]
        check("access log lines say protocol grpc, the method and the code",
              any(l.get("method") == "VerifyKzgProof" and l.get("grpc_code") == "OK" for l in logged))

        # Drain: health turns NOT_SERVING at SIGTERM, during shutdown.drain_delay_seconds.
        seen = []
        watcher = Client(pb, f"127.0.0.1:{server.grpc_port}")

        def watch():
            try:
                for status in watcher.health_watch():
                    seen.append(status)
                    if status == "NOT_SERVING":
                        return
            except grpc.RpcError:
                pass

        t = threading.Thread(target=watch)
        t.start()
        time.sleep(0.3)
        server.proc.send_signal(signal.SIGTERM)
        t.join(timeout=10)
        check("Watch sees SERVING, then NOT_SERVING while draining", seen[:1] == ["SERVING"] and "NOT_SERVING" in seen,
              str(seen))
    finally:
        code = server.stop()
    check("kzgd exits 0 after the drain", code == 0, str(code))


def keys_checks(pb, args, work):
    import hashlib

    def digest(key):
        return hashlib.sha256(key.encode()).hexdigest()

    keys = os.path.join(work, "keys.yaml")
    with open(keys, "w") as f:
        f.write("keys:\n")
        f.write(f"  - {{name: verifier, sha256: {digest('k-verify')}, permissions: [verify]}}\n")
        f.write(f"  - {{name: old, sha256: {digest('k-old')}, permissions: [verify], expires: 2020-01-01T00:00:00Z}}\n")
    env = {"KZGD_AUTH_ENABLED": "true", "KZGD_AUTH_KEYS_FILE": keys, "KZGD_RATE_LIMIT_ENABLED": "true",
           "KZGD_RATE_LIMIT_RATE": "1", "KZGD_RATE_LIMIT_BURST": "4",
           "KZGD_SETUP_TABLE_CACHE": os.path.join(work, "tables.cache")}
    server = Kzgd(args.kzgd, work, "keys", env)
    client = Client(pb, f"127.0.0.1:{server.grpc_port}")
    try:
        deadline = time.time() + 60
        while client.health() != "SERVING" and time.time() < deadline:
            time.sleep(0.1)
        blob = bytes(131072)
        point = bytes([0xC0]) + bytes(47)
        verify = pb.VerifyKzgProofRequest(commitment=point, z=bytes(32), y=bytes(32), proof=point)
        UA = grpc.StatusCode.UNAUTHENTICATED
        expect_error("no API key is UNAUTHENTICATED",
                     lambda: client.unary("VerifyKzgProof", verify, pb.VerifyResponse), UA)
        expect_error("an unknown API key is UNAUTHENTICATED",
                     lambda: client.unary("VerifyKzgProof", verify, pb.VerifyResponse,
                                          metadata=[("x-api-key", "nope")]), UA)
        expect_error("an expired API key is UNAUTHENTICATED",
                     lambda: client.unary("VerifyKzgProof", verify, pb.VerifyResponse,
                                          metadata=[("authorization", "Bearer k-old")]), UA)
        expect_error("a key without the permission is PERMISSION_DENIED",
                     lambda: client.unary("BlobToKzgCommitment", pb.BlobToKzgCommitmentRequest(blob=blob),
                                          pb.BlobToKzgCommitmentResponse, metadata=[("x-api-key", "k-verify")]),
                     grpc.StatusCode.PERMISSION_DENIED)
        ok = client.unary("VerifyKzgProof", verify, pb.VerifyResponse,
                          metadata=[("authorization", "Bearer k-verify")]).valid
        check("a valid key in authorization: Bearer is served", ok)
        codes = []
        for _ in range(12):
            try:
                client.unary("VerifyKzgProof", verify, pb.VerifyResponse, metadata=[("x-api-key", "k-verify")])
                codes.append("OK")
            except grpc.RpcError as e:
                codes.append(e.code().name)
        check("a burst past the bucket is RESOURCE_EXHAUSTED", "OK" in codes and "RESOURCE_EXHAUSTED" in codes,
              str(codes))
    finally:
        server.stop()


def tls_checks(pb, args, work):
    def run(*cmd):
        subprocess.run(cmd, check=True, capture_output=True, cwd=work)

    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
        "-subj", "/CN=test CA", "-keyout", "ca.key", "-out", "ca.pem")
    for name in ("server", "client"):
        run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj",
            f"/CN={'localhost' if name == 'server' else 'a client'}", "-keyout", f"{name}.key", "-out", f"{name}.csr")
        with open(os.path.join(work, f"{name}.ext"), "w") as f:
            f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n" if name == "server" else "extendedKeyUsage=clientAuth\n")
        run("openssl", "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "1", "-extfile", f"{name}.ext", "-out", f"{name}.pem")

    def read(name):
        with open(os.path.join(work, name), "rb") as f:
            return f.read()

    env = {"KZGD_TLS_ENABLED": "true", "KZGD_TLS_CERT_FILE": os.path.join(work, "server.pem"),
           "KZGD_TLS_KEY_FILE": os.path.join(work, "server.key"), "KZGD_TLS_CLIENT_CA_FILE": os.path.join(work, "ca.pem"),
           "KZGD_TLS_REQUIRE_CLIENT_CERT": "true", "KZGD_SETUP_TABLE_CACHE": os.path.join(work, "tables.cache")}
    server = Kzgd(args.kzgd, work, "tls", env)
    target = f"localhost:{server.grpc_port}"
    try:
        mutual = Client(pb, target, grpc.ssl_channel_credentials(read("ca.pem"), read("client.key"), read("client.pem")))
        deadline = time.time() + 60
        while mutual.health() != "SERVING" and time.time() < deadline:
            time.sleep(0.1)
        point = bytes([0xC0]) + bytes(47)
        verify = pb.VerifyKzgProofRequest(commitment=point, z=bytes(32), y=bytes(32), proof=point)
        check("mutual TLS with a client certificate from tls.client_ca_file is served",
              mutual.unary("VerifyKzgProof", verify, pb.VerifyResponse, timeout=10).valid)
        anonymous = Client(pb, target, grpc.ssl_channel_credentials(read("ca.pem")))
        expect_error("TLS without a client certificate is refused (tls.require_client_cert)",
                     lambda: anonymous.unary("VerifyKzgProof", verify, pb.VerifyResponse, timeout=10),
                     grpc.StatusCode.UNAVAILABLE)
        plain = Client(pb, target)
        expect_error("plaintext to the TLS listener is refused",
                     lambda: plain.unary("VerifyKzgProof", verify, pb.VerifyResponse, timeout=10),
                     grpc.StatusCode.UNAVAILABLE)
        untrusted = Client(pb, target, grpc.ssl_channel_credentials(read("server.pem")))
        expect_error("a client that does not trust the server's CA fails the handshake",
                     lambda: untrusted.unary("VerifyKzgProof", verify, pb.VerifyResponse, timeout=10),
                     grpc.StatusCode.UNAVAILABLE)
    finally:
        server.stop()


def grpc_total(text, method):
    total = 0.0
    for line in text.splitlines():
        if line.startswith("kzgd_grpc_requests_total{") and f'method="{method}"' in line:
            total += float(line.split()[-1])
    return total


def nginx_checks(pb, args, work):
    import shutil
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if nginx is None:
        print("skip nginx grpc_pass: nginx not installed")
        return
    env = {"KZGD_SETUP_TABLE_CACHE": os.path.join(work, "tables.cache"), "KZGD_ACCESS_TRUSTED_PROXIES": "127.0.0.1/32"}
    replicas = [Kzgd(args.kzgd, work, f"replica-{i}", env) for i in range(2)]
    lb_dir = os.path.join(work, "nginx")
    port_lb, grpc_lb = free_port(), free_port()
    render = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy", "test", "render-nginx.sh")
    subprocess.run(["bash", render, "--compose", lb_dir, str(replicas[0].http_port), str(replicas[1].http_port),
                    str(port_lb), str(replicas[0].grpc_port), str(replicas[1].grpc_port), str(grpc_lb)], check=True)
    proxy = subprocess.Popen([nginx, "-c", os.path.join(lb_dir, "nginx.conf"), "-p", lb_dir, "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                # Both replicas serving, and nginx listening (it starts beside them, and may be the later).
                if all(Client(pb, f"127.0.0.1:{r.grpc_port}").health() == "SERVING" for r in replicas):
                    socket.create_connection(("127.0.0.1", grpc_lb), timeout=1).close()
                    break
            except (grpc.RpcError, OSError):
                pass
            time.sleep(0.1)
        # A channel made before nginx listened would be backing off from its failed connect.
        client = Client(pb, f"127.0.0.1:{grpc_lb}")
        check("health through nginx is SERVING", client.health() == "SERVING")
        point = bytes([0xC0]) + bytes(47)
        verify = pb.VerifyKzgProofRequest(commitment=point, z=bytes(32), y=bytes(32), proof=point)
        answers = [client.unary("VerifyKzgProof", verify, pb.VerifyResponse, timeout=10).valid for _ in range(40)]
        served = [grpc_total(r.metrics(), "VerifyKzgProof") for r in replicas]
        check("calls through nginx are spread over both replicas, on one client connection",
              all(answers) and all(n > 0 for n in served) and sum(served) == 40, str(served))
        replicas[0].stop()
        answers = []
        for _ in range(20):
            try:
                answers.append(client.unary("VerifyKzgProof", verify, pb.VerifyResponse, timeout=10).valid)
            except grpc.RpcError as e:
                answers.append(e.code().name)
        check("with one replica stopped, every call through nginx still succeeds", answers == [True] * 20,
              str(answers))
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        for r in replicas:
            r.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kzgd", required=True)
    parser.add_argument("--kzg", required=True)
    parser.add_argument("--proto", required=True, help="the directory holding kzg/v1/kzg.proto")
    parser.add_argument("--vectors", default=os.environ.get("KZG_SPEC_TESTS_DIR"))
    args = parser.parse_args()
    if not args.vectors:
        beside = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "kzg-spec-tests")
        if os.path.isdir(beside):
            args.vectors = beside
    with tempfile.TemporaryDirectory(prefix="kzgd-grpc-") as work:
        subprocess.run(["protoc", f"--proto_path={args.proto}", f"--python_out={work}",
                        os.path.join(args.proto, "kzg", "v1", "kzg.proto")], check=True)
        sys.path.insert(0, work)
        from kzg.v1 import kzg_pb2 as pb
        setup_rpc_table(pb)
        plain_checks(pb, args, work)
        keys_checks(pb, args, work)
        tls_checks(pb, args, work)
        nginx_checks(pb, args, work)
    print(f"grpc_conformance: {passes} passed, {len(failures)} failed")
    if failures:
        print("failed: " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
