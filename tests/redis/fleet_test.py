#!/usr/bin/env python3
"""kzgd as a fleet on one real Redis (Debian redis-server, started here on loopback in a temporary directory).

  fleet_test.py --kzgd build/service/kzgd [--redis-server redis-server] [--window 10]

What it checks, each with kzgd processes of their own configuration:
  1. limits:  a client bursting across two replicas gets the configured total (burst + rate x window) within 10%
              when the buckets are in Redis, and about twice that when each replica keeps its own.
  2. cache:   a blob proven on replica A is served from Redis on replica B, byte-identical and far faster, with
              Cache-Status saying so; a JSON request for the same blob shares the entry.
  3. hostile: cache entries changed, truncated, copied from another key or replaced by garbage are refused by
              their MAC, counted by reason, answered correctly (recomputed) and rewritten.
  4. kill:    Redis SIGKILLed under steady load and started again: zero failed requests, the rate-limit mode goes
              to fallback and back, and the metrics count both changes.
  5. slow:    Redis stalled (DEBUG SLEEP) under load: no request waits for it beyond the budget.
Prints one line per check and the figures measured; exits 1 when any check failed.
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

failures = []
passes = 0

# verify_kzg_proof of the point at infinity at z = 0, y = 0 is true: a cheap, valid request.
INFINITY = "0xc0" + "00" * 47
ZERO = "0x" + "00" * 32
VERIFY_BODY = json.dumps({"commitment": INFINITY, "z": ZERO, "y": ZERO, "proof": INFINITY}).encode()


def check(name, ok, detail=""):
    global passes
    if ok:
        passes += 1
        print(f"ok   {name} {detail}".rstrip())
    else:
        failures.append(name)
        print(f"FAIL {name} {detail}")
    sys.stdout.flush()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def random_blob(rng):
    """A valid blob: 4096 field elements, each below the modulus (top byte 0)."""
    b = bytearray(rng.randbytes(131072))
    b[0::32] = bytes(4096)
    return bytes(b)


# ---- Redis: the server, and a minimal RESP client (binary-safe, for tampering with entries) ----

class Redis:
    def __init__(self, exe, work, password):
        self.exe, self.work, self.password = exe, work, password
        self.port = free_port()
        self.proc = None
        self.start()

    def start(self):
        self.log = open(os.path.join(self.work, "redis.log"), "a")
        self.proc = subprocess.Popen(
            [self.exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", self.work, "--requirepass", self.password, "--daemonize", "no", "--maxmemory", "256mb",
             "--maxmemory-policy", "allkeys-lru", "--enable-debug-command", "local"], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                if self.command("PING") == "PONG":
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.log.close()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.kill()

    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self, *args, timeout=5):
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            f = s.makefile("rb")
            for cmd in (("AUTH", self.password), args):
                out = b"*%d\r\n" % len(cmd)
                for a in cmd:
                    a = a if isinstance(a, bytes) else str(a).encode()
                    out += b"$%d\r\n%s\r\n" % (len(a), a)
                s.sendall(out)
                reply = read_reply(f)
            return reply


def read_reply(f):
    line = f.readline()
    kind, rest = line[:1], line[1:-2]
    if kind == b"+":
        return rest.decode()
    if kind == b"-":
        raise RuntimeError(rest.decode())
    if kind == b":":
        return int(rest)
    if kind == b"$":
        n = int(rest)
        if n < 0:
            return None
        data = f.read(n + 2)[:-2]
        return data
    if kind == b"*":
        return [read_reply(f) for _ in range(int(rest))]
    raise RuntimeError(f"bad reply {line!r}")


# ---- kzgd ----

class Kzgd:
    def __init__(self, exe, work, name, env):
        self.name = name
        self.port = free_port()
        self.log_path = os.path.join(work, name + ".log")
        full_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "KZGD_LOG_LEVEL": "info",
                    "KZGD_GRPC_ENABLED": "false", "KZGD_WORKERS_THREADS": "2"}
        full_env.update({k: v for k, v in os.environ.items() if k.split("_")[0] in ("ASAN", "UBSAN", "LSAN")})
        full_env.update(env)
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([exe, "--listen", f"127.0.0.1:{self.port}"], env=full_env, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 120
        while time.time() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if self.get("/ready")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"{name}: kzgd did not become ready:\n" + open(self.log_path).read()[-4000:])

    def get(self, path):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            c.request("GET", path)
            r = c.getresponse()
            return r.status, r.read()
        finally:
            c.close()

    def metrics(self):
        return self.get("/metrics")[1].decode()

    def metric(self, name, labels=""):
        """The sum of a metric's samples whose labels contain `labels` (e.g. 'mode="fallback"')."""
        total, found = 0.0, False
        for line in self.metrics().splitlines():
            m = re.match(r"^([a-zA-Z_:]+)(\{[^}]*\})? ([0-9.eE+-]+)$", line)
            if m and m.group(1) == name and labels in (m.group(2) or ""):
                total += float(m.group(3))
                found = True
        return total if found else None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def post(conn, path, body, binary=False, accept_binary=False):
    headers = {"Content-Type": "application/octet-stream" if binary else "application/json"}
    if accept_binary:
        headers["Accept"] = "application/octet-stream"
    start = time.perf_counter()
    conn.request("POST", path, body=body, headers=headers)
    r = conn.getresponse()
    data = r.read()
    return r.status, data, r.getheader("Cache-Status") or "", time.perf_counter() - start


def redis_env(redis, secrets, **extra):
    env = {"KZGD_REDIS_URL": redis.url(), "KZGD_REDIS_PASSWORD_FILE": secrets["password"],
           "KZGD_CACHE_MAC_KEY_FILE": secrets["mac"], "KZGD_REDIS_BREAKER_RETRY_SECONDS": "0.3",
           "KZGD_REDIS_COMMAND_TIMEOUT_MS": "5"}
    env.update(extra)
    return env


def burst(replicas, seconds, threads=4):
    """Requests from one client (one address) spread over the replicas as fast as they answer: (allowed, refused,
    errors)."""
    counts = {"allowed": 0, "refused": 0, "errors": 0}
    lock = threading.Lock()
    stop_at = time.time() + seconds

    def run(k):
        conns = [http.client.HTTPConnection("127.0.0.1", r.port, timeout=10) for r in replicas]
        i = k
        while time.time() < stop_at:
            conn = conns[i % len(conns)]
            i += 1
            try:
                status, _, _, _ = post(conn, "/v1/verify_kzg_proof", VERIFY_BODY)
                key = "allowed" if status == 200 else "refused" if status == 429 else "errors"
            except (OSError, http.client.HTTPException):
                key = "errors"
                conns[(i - 1) % len(conns)] = http.client.HTTPConnection("127.0.0.1", replicas[(i - 1) % len(conns)].port,
                                                                        timeout=10)
            with lock:
                counts[key] += 1

    ts = [threading.Thread(target=run, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return counts


def limit_checks(args, work, redis, secrets):
    rate, burst_size = 40, 40
    limits = {"KZGD_RATE_LIMIT_ENABLED": "true", "KZGD_RATE_LIMIT_RATE": str(rate),
              "KZGD_RATE_LIMIT_BURST": str(burst_size)}
    expected = burst_size + rate * args.window
    results = {}
    for mode in ("redis", "local"):
        env = dict(limits)
        if mode == "redis":
            env.update(redis_env(redis, secrets, KZGD_REDIS_KEY_PREFIX=f"limits{random.randrange(1 << 30)}:"))
        a = Kzgd(args.kzgd, work, f"limits-{mode}-a", env)
        b = Kzgd(args.kzgd, work, f"limits-{mode}-b", env)
        try:
            counts = burst([a, b], args.window)
        finally:
            a.stop()
            b.stop()
        results[mode] = counts
        print(f"     {mode}: {counts} over {args.window} s (rate {rate}/s, burst {burst_size} per client)")
    shared = results["redis"]["allowed"]
    check("limits: two replicas on Redis allow the configured total within 10%",
          abs(shared - expected) <= 0.10 * expected and results["redis"]["errors"] == 0,
          f"(allowed {shared}, expected {expected}, ratio {shared / expected:.3f})")
    alone = results["local"]["allowed"]
    check("limits: two replicas without Redis allow about twice that",
          1.8 * expected <= alone <= 2.2 * expected and results["local"]["errors"] == 0,
          f"(allowed {alone}, ratio to the configured total {alone / expected:.3f})")
    check("limits: the burst was refused beyond the limit", results["redis"]["refused"] > shared,
          f"(refused {results['redis']['refused']})")


def cache_checks(args, work, redis, secrets):
    rng = random.Random(20)
    env = redis_env(redis, secrets, KZGD_REDIS_KEY_PREFIX="cache:")
    a = Kzgd(args.kzgd, work, "cache-a", env)
    # B keeps no entries of its own, so every lookup goes to Redis (the hostile checks need that).
    b = Kzgd(args.kzgd, work, "cache-b", dict(env, KZGD_CACHE_MEMORY_BYTES="0"))
    try:
        ca = http.client.HTTPConnection("127.0.0.1", a.port, timeout=60)
        cb = http.client.HTTPConnection("127.0.0.1", b.port, timeout=60)
        blob = random_blob(rng)
        op = "/v1/compute_cells_and_kzg_proofs"
        status_a, body_a, cs_a, t_a = post(ca, op, blob, binary=True, accept_binary=True)
        check("cache: replica A computes and stores", status_a == 200 and "fwd=miss" in cs_a and "stored" in cs_a,
              f"(status {status_a}, Cache-Status: {cs_a}, {t_a * 1000:.1f} ms)")
        status_a2, body_a2, cs_a2, t_a2 = post(ca, op, blob, binary=True, accept_binary=True)
        check("cache: replica A answers a repeat from memory", status_a2 == 200 and body_a2 == body_a and
              "detail=memory" in cs_a2, f"(Cache-Status: {cs_a2}, {t_a2 * 1000:.1f} ms)")
        time.sleep(0.5)  # the background writer
        status_b, body_b, cs_b, t_b = post(cb, op, blob, binary=True, accept_binary=True)
        check("cache: replica B serves A's result from Redis, byte-identical",
              status_b == 200 and body_b == body_a and "hit" in cs_b and "detail=redis" in cs_b,
              f"(Cache-Status: {cs_b}, {len(body_b)} bytes)")
        check("cache: and far faster", t_b * 4 < t_a, f"(A computed in {t_a * 1000:.1f} ms, B served in "
                                                      f"{t_b * 1000:.1f} ms: {t_a / t_b:.1f}x)")
        js = json.dumps({"blob": "0x" + blob.hex()}).encode()
        status_j, body_j, cs_j, _ = post(cb, op, js)
        check("cache: a JSON request for the same blob shares the entry", status_j == 200 and "detail=redis" in cs_j,
              f"(Cache-Status: {cs_j})")

        keys = redis.command("KEYS", "cache:c:*")
        check("cache: one entry in Redis, under the prefix", len(keys) == 1, f"({len(keys)} keys)")
        key = keys[0]
        good = redis.command("GET", key)
        # A second blob's entry, to copy under the first's key.
        other = random_blob(rng)
        post(ca, op, other, binary=True, accept_binary=True)
        time.sleep(0.5)
        other_key = [k for k in redis.command("KEYS", "cache:c:*") if k != key][0]
        foreign = redis.command("GET", other_key)
        flipped = bytearray(good)
        flipped[-100] ^= 0x01
        cases = [("changed", bytes(flipped), "mac"), ("truncated", good[:len(good) // 2], "mac"),
                 ("too short", good[:10], "truncated"), ("foreign", foreign, "mac"),
                 ("garbage", b"not an entry of kzgd" * 10, "format")]
        for name, value, reason in cases:
            before = b.metric("kzgd_cache_integrity_failures_total", f'reason="{reason}"') or 0
            redis.command("SET", key, value)
            status, body, cs, _ = post(cb, op, blob, binary=True, accept_binary=True)
            after = b.metric("kzgd_cache_integrity_failures_total", f'reason="{reason}"') or 0
            check(f"hostile: a {name} entry is refused, counted and recomputed",
                  status == 200 and body == body_a and "integrity-failure" in cs and after == before + 1,
                  f"(Cache-Status: {cs}; failures[{reason}] {before:.0f} -> {after:.0f})")
            time.sleep(0.5)
            check(f"hostile: the {name} entry was replaced by a good one", redis.command("GET", key) == good)
        status, body, cs, _ = post(cb, op, blob, binary=True, accept_binary=True)
        check("hostile: after the repairs replica B hits again", body == body_a and "detail=redis" in cs,
              f"(Cache-Status: {cs})")
        hits = b.metric("kzgd_cache_lookups_total", 'result="hit_redis"')
        check("cache: the metrics count Redis hits", hits is not None and hits >= 3, f"(hit_redis {hits})")
    finally:
        a.stop()
        b.stop()


def steady_load(replicas, seconds, threads, latencies=None, cached_blobs=None):
    """Cheap verifications (and, given blobs, cached commitments) round-robin over the replicas: counts of
    (ok, failed) and failure details."""
    out = {"ok": 0, "failed": 0, "details": []}
    lock = threading.Lock()
    stop_at = time.time() + seconds

    def run(k):
        conns = [http.client.HTTPConnection("127.0.0.1", r.port, timeout=30) for r in replicas]
        i = k
        while time.time() < stop_at:
            n = i % len(conns)
            i += 1
            use_blob = cached_blobs and i % 4 == 0
            try:
                if use_blob:
                    blob = cached_blobs[i % len(cached_blobs)]
                    status, data, _, t = post(conns[n], "/v1/blob_to_kzg_commitment", blob, binary=True)
                else:
                    status, data, _, t = post(conns[n], "/v1/verify_kzg_proof", VERIFY_BODY)
                ok = status == 200
                detail = f"{status} {data[:200]!r}"
            except (OSError, http.client.HTTPException) as e:
                ok, t, detail = False, 0, repr(e)
                conns[n] = http.client.HTTPConnection("127.0.0.1", replicas[n].port, timeout=30)
            with lock:
                out["ok" if ok else "failed"] += 1
                if not ok and len(out["details"]) < 5:
                    out["details"].append(detail)
                if latencies is not None:
                    latencies.append((time.time(), t))

    ts = [threading.Thread(target=run, args=(k,)) for k in range(threads)]
    for t in ts:
        t.start()
    return ts, out


def kill_checks(args, work, redis, secrets):
    rng = random.Random(21)
    env = redis_env(redis, secrets, KZGD_RATE_LIMIT_ENABLED="true", KZGD_RATE_LIMIT_RATE="1000000",
                    KZGD_RATE_LIMIT_BURST="1000000", KZGD_REDIS_KEY_PREFIX="kill:")
    a = Kzgd(args.kzgd, work, "kill-a", env)
    b = Kzgd(args.kzgd, work, "kill-b", env)
    try:
        blobs = [random_blob(rng) for _ in range(4)]
        ts, out = steady_load([a, b], 9, 3, cached_blobs=blobs)
        time.sleep(2)
        redis.kill()
        killed_at = time.time()
        time.sleep(3)
        fallback = [r.metric("kzgd_rate_limit_shared") for r in (a, b)]
        redis.start()
        restarted_at = time.time()
        for t in ts:
            t.join()
        print(f"     steady load: {out['ok']} ok, {out['failed']} failed; Redis down for "
              f"{restarted_at - killed_at:.1f} s")
        check("kill: zero failed requests while Redis died and came back", out["failed"] == 0 and out["ok"] > 100,
              f"(ok {out['ok']}, failed {out['failed']} {out['details']})")
        check("kill: both replicas were in fallback mode while Redis was down", fallback == [0, 0],
              f"(kzgd_rate_limit_shared {fallback})")
        deadline = time.time() + 10
        while time.time() < deadline and any(r.metric("kzgd_rate_limit_shared") != 1 for r in (a, b)):
            time.sleep(0.2)
        for r in (a, b):
            to_fallback = r.metric("kzgd_rate_limit_mode_changes_total", 'mode="fallback"')
            to_shared = r.metric("kzgd_rate_limit_mode_changes_total", 'mode="shared"')
            opened = r.metric("kzgd_redis_breaker_transitions_total", 'to="open"')
            check(f"kill: {r.name} went to fallback and back to shared, and its metrics say so",
                  r.metric("kzgd_rate_limit_shared") == 1 and to_fallback >= 1 and to_shared >= 1 and opened >= 1,
                  f"(mode changes: fallback {to_fallback}, shared {to_shared}; breaker opened {opened})")
        log = open(a.log_path).read()
        check("kill: the mode changes are logged as warnings",
              '"redis unreachable' in log and '"redis reachable again' in log)
        _, health = a.get("/debug/health")
        check("kill: /debug/health shows the Redis state",
              json.loads(health).get("dependencies", {}).get("redis", {}).get("rate_limit_mode") == "shared")
    finally:
        a.stop()
        b.stop()


def slow_checks(args, work, redis, secrets):
    env = redis_env(redis, secrets, KZGD_RATE_LIMIT_ENABLED="true", KZGD_RATE_LIMIT_RATE="1000000",
                    KZGD_RATE_LIMIT_BURST="1000000", KZGD_REDIS_KEY_PREFIX="slow:",
                    KZGD_REDIS_BREAKER_RETRY_SECONDS="5")
    a = Kzgd(args.kzgd, work, "slow-a", env)
    try:
        latencies = []
        ts, out = steady_load([a], 6, 2, latencies=latencies)
        time.sleep(1.5)
        stall_start = time.time()
        sleeper = threading.Thread(target=lambda: redis.command("DEBUG", "SLEEP", "2", timeout=10))
        sleeper.start()
        sleeper.join()
        stall_end = time.time()
        for t in ts:
            t.join()
        during = sorted(t for at, t in latencies if stall_start <= at - t and at <= stall_end)
        before = sorted(t for at, t in latencies if at < stall_start)
        p = lambda v, q: v[min(len(v) - 1, int(q * len(v)))] * 1000 if v else float("nan")
        print(f"     latency before the stall: p50 {p(before, 0.5):.1f} ms, p99 {p(before, 0.99):.1f} ms; during "
              f"the {stall_end - stall_start:.1f} s stall: p50 {p(during, 0.5):.1f} ms, p99 {p(during, 0.99):.1f} "
              f"ms, max {p(during, 1):.1f} ms ({len(during)} requests)")
        check("slow: requests kept being answered during the stall", len(during) > 20 and out["failed"] == 0,
              f"({len(during)} requests, {out['failed']} failed)")
        check("slow: none waited on the stalled Redis (max latency far below the 2 s stall)",
              len(during) > 20 and max(during) < 0.25, f"(max {max(during) * 1000 if during else 0:.1f} ms)")
        # Each request makes at most one Redis call (its rate-limit bucket), budget 5 ms: its p99 may grow by that
        # (and scheduling noise), never by the stall.
        check("slow: p99 latency during the stall within the p99 before plus the budget",
              during and before and p(during, 0.99) <= p(before, 0.99) + 2 * 5 + 5,
              f"(p99 {p(before, 0.99):.1f} ms -> {p(during, 0.99):.1f} ms)")
        timeouts = a.metric("kzgd_redis_commands_total", 'result="timeout"') or 0
        check("slow: the stall was seen as timeouts, then the breaker opened",
              timeouts >= 1 and (a.metric("kzgd_redis_breaker_transitions_total", 'to="open"') or 0) >= 1,
              f"(timeouts {timeouts:.0f})")
    finally:
        a.stop()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kzgd", required=True)
    parser.add_argument("--redis-server", default=shutil.which("redis-server") or "/usr/bin/redis-server")
    parser.add_argument("--window", type=int, default=10)
    parser.add_argument("--only", default="limits,cache,kill,slow")
    args = parser.parse_args()
    if not os.path.exists(args.redis_server):
        print("fleet_test: redis-server not found (Debian: redis-server; scripts/install-deps.sh installs it)")
        return 1
    with tempfile.TemporaryDirectory(prefix="kzgd-fleet-") as work:
        secrets = {"password": os.path.join(work, "redis-password"), "mac": os.path.join(work, "cache-mac-key")}
        password = os.urandom(16).hex()
        with open(secrets["password"], "w") as f:
            f.write(password + "\n")
        with open(secrets["mac"], "w") as f:
            f.write(os.urandom(32).hex() + "\n")
        redis = Redis(args.redis_server, work, password)
        try:
            only = args.only.split(",")
            if "cache" in only:
                cache_checks(args, work, redis, secrets)
            if "limits" in only:
                limit_checks(args, work, redis, secrets)
            if "kill" in only:
                kill_checks(args, work, redis, secrets)
            if "slow" in only:
                slow_checks(args, work, redis, secrets)
        finally:
            redis.stop()
    print(f"fleet_test: {passes} passed, {len(failures)} failed")
    if failures:
        print("failed: " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
