#!/usr/bin/env python3
"""The result cache under load: compute_cells_and_kzg_proofs over HTTP (binary bodies) where half the requests
repeat a blob asked before, against one kzgd with the cache off, with its in-process cache, and with the
in-process cache in front of Redis (a real redis-server started here on loopback). Same load, same run.

  bench/cache/cache_bench.py [--kzgd build/service/kzgd] [--seconds 20] [--clients 4] [--repeat 0.5] [--runs 3]

Prints, per configuration, the median over the runs of requests/s, p50 and p99 latency, and the share of answers
served from the cache (Cache-Status). Every answer is checked: a repeated blob's answer must equal its first.

Then whether verifications are worth caching: one client, one request at a time, the median latency of
verify_kzg_proof and verify_blob_kzg_proof against that of a cache hit (a blob_to_kzg_commitment answered from
memory, and from Redis by a replica without a memory tier): what a hit would save, next to what it costs.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def random_blob(rng):
    b = bytearray(rng.randbytes(131072))
    b[0::32] = bytes(4096)
    return bytes(b)


def wait_ready(port, proc, log):
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            break
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/ready")
            if c.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("kzgd did not become ready:\n" + open(log).read()[-3000:])


def load(port, seconds, clients, repeat, seed):
    rng = random.Random(seed)
    fresh = [random_blob(rng) for _ in range(int(seconds * 40) + 50)]
    asked, answers = [], {}
    lock = threading.Lock()
    latencies, hits, errors, mismatches = [], [0], [0], [0]
    stop_at = time.time() + seconds

    def client(k):
        r = random.Random(seed * 100 + k)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.time() < stop_at:
            with lock:
                if asked and r.random() < repeat:
                    blob = r.choice(asked)
                else:
                    blob = fresh.pop()
                    asked.append(blob)
            t0 = time.perf_counter()
            conn.request("POST", "/v1/compute_cells_and_kzg_proofs", body=blob,
                         headers={"Content-Type": "application/octet-stream", "Accept": "application/octet-stream"})
            resp = conn.getresponse()
            data = resp.read()
            t = time.perf_counter() - t0
            with lock:
                if resp.status != 200:
                    errors[0] += 1
                    continue
                latencies.append(t)
                if (resp.getheader("Cache-Status") or "").startswith("kzgd; hit"):
                    hits[0] += 1
                key = hash(blob)
                if key in answers and answers[key] != data:
                    mismatches[0] += 1
                answers.setdefault(key, data)

    start = time.time()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.time() - start
    latencies.sort()
    n = len(latencies)
    return {"rps": n / elapsed, "p50": latencies[n // 2] * 1000 if n else 0,
            "p99": latencies[min(n - 1, int(0.99 * n))] * 1000 if n else 0,
            "hit": hits[0] / n if n else 0, "n": n, "errors": errors[0], "mismatches": mismatches[0]}


def median_latency(port, path, body, n=300):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    times, statuses = [], set()
    for _ in range(n):
        t0 = time.perf_counter()
        conn.request("POST", path, body=body, headers={"Content-Type": "application/octet-stream"})
        r = conn.getresponse()
        r.read()
        times.append(time.perf_counter() - t0)
        statuses.add((r.status, r.getheader("Cache-Status") or ""))
    return statuses, statistics.median(times) * 1000


def verification_costs(kzgd, redis_server, work, mac):
    rport, port = free_port(), free_port()
    redis = subprocess.Popen([redis_server, "--port", str(rport), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                              "no", "--dir", work], stdout=subprocess.DEVNULL)
    time.sleep(0.3)
    env = {"PATH": os.environ.get("PATH", ""), "KZGD_LOG_LEVEL": "warn", "KZGD_GRPC_ENABLED": "false",
           "KZGD_REDIS_URL": f"redis://127.0.0.1:{rport}/0", "KZGD_CACHE_MAC_KEY_FILE": mac}
    log = os.path.join(work, "kzgd-verify.log")
    procs = []
    try:
        with open(log, "w") as lf:
            procs.append(subprocess.Popen([kzgd, "--listen", f"127.0.0.1:{port}"], env=env, stdout=lf,
                                          stderr=subprocess.STDOUT))
            port_b = free_port()
            procs.append(subprocess.Popen([kzgd, "--listen", f"127.0.0.1:{port_b}"],
                                          env=dict(env, KZGD_CACHE_MEMORY_BYTES="0"), stdout=lf,
                                          stderr=subprocess.STDOUT))
        wait_ready(port, procs[0], log)
        wait_ready(port_b, procs[1], log)
        blob = random_blob(random.Random(7))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def call(op, body):
            conn.request("POST", "/v1/" + op, body=body, headers={"Content-Type": "application/octet-stream",
                                                                  "Accept": "application/octet-stream"})
            r = conn.getresponse()
            return r.read()

        commitment = call("blob_to_kzg_commitment", blob)
        proof = call("compute_blob_kzg_proof", blob + commitment)
        z = bytes(1) + os.urandom(31)
        conn.request("POST", "/v1/compute_kzg_proof", body=json.dumps({"blob": "0x" + blob.hex(), "z": "0x" + z.hex()}),
                     headers={"Content-Type": "application/json"})
        kzg_proof, y = (bytes.fromhex(v[2:]) for v in json.loads(conn.getresponse().read())["output"])
        time.sleep(0.5)
        rows = [("verify_kzg_proof", "/v1/verify_kzg_proof", commitment + z + y + kzg_proof),
                ("verify_blob_kzg_proof", "/v1/verify_blob_kzg_proof", blob + commitment + proof),
                ("cache hit, memory (blob_to_kzg_commitment)", "/v1/blob_to_kzg_commitment", blob)]
        print("\nWhether verifications are worth caching: one client, one request at a time, median of 300:")
        print("| request | median latency ms |")
        print("| --- | --- |")
        for name, path, body in rows:
            statuses, ms = median_latency(port, path, body)
            bad = [s for s, _ in statuses if s != 200]
            print(f"| {name} | {ms:.2f}{' (errors ' + str(bad) + ')' if bad else ''} |")
        statuses, ms = median_latency(port_b, "/v1/blob_to_kzg_commitment", blob)
        print(f"| cache hit, Redis (blob_to_kzg_commitment, no memory tier) | {ms:.2f} |")
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
            p.wait(timeout=30)
        redis.kill()
        redis.wait()


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    p = argparse.ArgumentParser()
    p.add_argument("--kzgd", default=os.path.join(root, "build", "service", "kzgd"))
    p.add_argument("--seconds", type=float, default=20)
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--repeat", type=float, default=0.5)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--only-verification", action="store_true")
    args = p.parse_args()
    redis_server = shutil.which("redis-server")
    if not redis_server:
        sys.exit("cache_bench: redis-server not found (scripts/install-deps.sh installs it)")
    configs = [("no cache", {"KZGD_CACHE_ENABLED": "false"}), ("memory", {}), ("memory + Redis", "redis")]
    results = {name: [] for name, _ in configs}
    with tempfile.TemporaryDirectory(prefix="kzgd-cache-bench-") as work:
        mac = os.path.join(work, "mac")
        with open(mac, "w") as f:
            f.write(os.urandom(32).hex())
        verification_costs(args.kzgd, redis_server, work, mac)
        if args.only_verification:
            return 0
        for run in range(args.runs):
            for name, env in configs:
                redis = None
                full_env = {"PATH": os.environ.get("PATH", ""), "KZGD_LOG_LEVEL": "warn", "KZGD_GRPC_ENABLED": "false"}
                if env == "redis":
                    rport = free_port()
                    redis = subprocess.Popen([redis_server, "--port", str(rport), "--bind", "127.0.0.1", "--save", "",
                                              "--appendonly", "no", "--dir", work, "--maxmemory", "256mb",
                                              "--maxmemory-policy", "allkeys-lru"], stdout=subprocess.DEVNULL)
                    time.sleep(0.3)
                    full_env.update({"KZGD_REDIS_URL": f"redis://127.0.0.1:{rport}/0",
                                     "KZGD_CACHE_MAC_KEY_FILE": mac})
                else:
                    full_env.update(env)
                port = free_port()
                log = os.path.join(work, "kzgd.log")
                with open(log, "w") as lf:
                    proc = subprocess.Popen([args.kzgd, "--listen", f"127.0.0.1:{port}"], env=full_env, stdout=lf,
                                            stderr=subprocess.STDOUT)
                try:
                    wait_ready(port, proc, log)
                    r = load(port, args.seconds, args.clients, args.repeat, seed=run + 1)
                finally:
                    proc.send_signal(signal.SIGTERM)
                    proc.wait(timeout=30)
                    if redis:
                        redis.kill()
                        redis.wait()
                results[name].append(r)
                print(f"run {run + 1} {name:15s} {r['rps']:6.2f} req/s  p50 {r['p50']:7.1f} ms  p99 {r['p99']:7.1f} ms"
                      f"  cache hits {r['hit'] * 100:5.1f}%  ({r['n']} requests, {r['errors']} errors, "
                      f"{r['mismatches']} mismatches)", flush=True)
    print(f"\ncompute_cells_and_kzg_proofs, {args.clients} clients, {args.repeat * 100:.0f}% repeats, "
          f"{args.seconds:.0f} s per run, median of {args.runs} runs:")
    print("| configuration | requests/s | p50 ms | p99 ms | served from cache |")
    print("| --- | --- | --- | --- | --- |")
    base = statistics.median(r["rps"] for r in results["no cache"])
    for name, _ in configs:
        rs = results[name]
        rps = statistics.median(r["rps"] for r in rs)
        print(f"| {name} | {rps:.2f} ({rps / base:.2f}x) | {statistics.median(r['p50'] for r in rs):.1f} | "
              f"{statistics.median(r['p99'] for r in rs):.1f} | {statistics.median(r['hit'] for r in rs) * 100:.0f}% |")
    bad = sum(r["errors"] + r["mismatches"] for rs in results.values() for r in rs)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
