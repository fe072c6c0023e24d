#!/usr/bin/env python3
"""Steady load for the end-to-end test: counts every response and checks every answer.

Several client threads, each with one keep-alive connection, POST the same request at a fixed total rate until
SIGTERM/SIGINT (or --duration). A request succeeds when the answer is HTTP 200 with exactly the expected body;
anything else (another status, another body, a connection error, a timeout) is a failure, and the first few
are printed with the time they happened. At the end one JSON object goes to standard output:
{"requests", "ok", "failed", "statuses", "errors", "seconds", "latency_ms": {"p50", "p99", "max"}}.
The exit code is 0 when at least one request was made and none failed, 1 otherwise.
"""
import argparse
import http.client
import json
import signal
import sys
import threading
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--path", required=True, help="for example /v1/verify_kzg_proof")
    p.add_argument("--body-file", required=True, help="the request body")
    p.add_argument("--expect", required=True, help="the exact answer body every request must get")
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--rate", type=float, default=200.0, help="requests per second, all threads together")
    p.add_argument("--duration", type=float, default=0.0, help="seconds; 0: until SIGTERM or SIGINT")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds one request may take")
    p.add_argument("--header", action="append", default=[], metavar="NAME:VALUE",
                   help="an extra request header (repeatable), for example X-API-Key:kzgk_...")
    return p.parse_args()


class Totals:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = {}
        self.errors = {}
        self.latencies = []
        self.failures_shown = 0
        self.start = time.monotonic()

    def record(self, status, error, latency, detail):
        with self.lock:
            if error is None:
                self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
                self.latencies.append(latency)
            else:
                self.errors[error] = self.errors.get(error, 0) + 1
            if detail is not None and self.failures_shown < 20:
                self.failures_shown += 1
                print(f"loadgen: failure at {time.monotonic() - self.start:.3f}s: {detail}", file=sys.stderr, flush=True)


def client(args, body, expect, totals, stop, interval, offset):
    conn = None
    next_at = time.monotonic() + offset
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
    for header in args.header:
        name, _, value = header.partition(":")
        headers[name.strip()] = value.strip()
    while not stop.is_set():
        delay = next_at - time.monotonic()
        if delay > 0 and stop.wait(delay):
            break
        next_at += interval
        if conn is None:
            conn = http.client.HTTPConnection(args.host, args.port, timeout=args.timeout)
        began = time.monotonic()
        try:
            conn.request("POST", args.path, body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            latency = time.monotonic() - began
            ok = response.status == 200 and answer == expect
            detail = None if ok else f"HTTP {response.status} {answer[:200]!r}"
            totals.record(response.status if ok else f"{response.status} (unexpected body)" if response.status == 200
                          else response.status, None, latency, detail)
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = None
        except (OSError, http.client.HTTPException) as e:
            totals.record(None, type(e).__name__, 0.0, f"{type(e).__name__}: {e}")
            conn.close()
            conn = None
    if conn is not None:
        conn.close()


def percentile(sorted_values, q):
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main():
    args = parse_args()
    with open(args.body_file, "rb") as f:
        body = f.read()
    expect = args.expect.encode()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    totals = Totals()
    interval = args.threads / args.rate
    threads = [threading.Thread(target=client, args=(args, body, expect, totals, stop, interval, i * interval / args.threads))
               for i in range(args.threads)]
    for t in threads:
        t.start()
    if args.duration > 0:
        stop.wait(args.duration)
        stop.set()
    while any(t.is_alive() for t in threads):
        for t in threads:
            t.join(0.2)
    seconds = time.monotonic() - totals.start
    ok = totals.statuses.get("200", 0)
    requests = sum(totals.statuses.values()) + sum(totals.errors.values())
    lat = sorted(totals.latencies)
    print(json.dumps({
        "requests": requests,
        "ok": ok,
        "failed": requests - ok,
        "statuses": totals.statuses,
        "errors": totals.errors,
        "seconds": round(seconds, 3),
        "latency_ms": {k: round(1000 * v, 3) for k, v in
                       (("p50", percentile(lat, 0.5)), ("p99", percentile(lat, 0.99)), ("max", lat[-1] if lat else 0.0))},
    }))
    return 0 if requests > 0 and ok == requests else 1


if __name__ == "__main__":
    sys.exit(main())
