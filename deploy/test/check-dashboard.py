#!/usr/bin/env python3
"""Runs every query of the Grafana dashboard against a live Prometheus that scrapes kzgd.

Grafana's variables become: $__rate_interval -> 1m, $job -> the job, $instance -> .*, ${datasource} unused.
Every query must be valid PromQL (the API answers success), and every query returns data except those that
only have data when something goes wrong (server errors) or with a feature this kzgd may lack (rate limiting),
so a misspelt metric or label fails here.

Usage: check-dashboard.py PROMETHEUS_URL DASHBOARD_JSON [JOB]
"""
import json
import sys
import urllib.parse
import urllib.request

# Queries allowed to be empty: 5xx answers (none in a healthy run), the rate limiter's counter, the gRPC
# calls' (the HTTP load drives none; the gRPC conformance test checks those families), and Redis's (exported only
# with redis.url set, which the run's replicas lack; the result cache's families are there without it).
MAY_BE_EMPTY = ('status=~"5..",status!="503"', 'reason="rate_limited"', "kzgd_grpc_", "kzgd_redis_",
                "kzgd_rate_limit_shared", "kzgd_rate_limit_mode_changes_total")


def queries(dashboard):
    for panel in dashboard["panels"]:
        for target in panel.get("targets", []):
            yield panel["title"], target["expr"]


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    url, path = sys.argv[1], sys.argv[2]
    job = sys.argv[3] if len(sys.argv) == 4 else "kzgd"
    with open(path) as f:
        dashboard = json.load(f)
    failures, with_data, total = [], 0, 0
    for title, expr in queries(dashboard):
        total += 1
        promql = expr.replace("$__rate_interval", "1m").replace("$job", job).replace("$instance", ".*")
        query = urllib.parse.urlencode({"query": promql})
        try:
            with urllib.request.urlopen(f"{url}/api/v1/query?{query}", timeout=10) as r:
                answer = json.load(r)
        except Exception as e:  # an HTTP 400 is how Prometheus refuses bad PromQL
            failures.append(f"{title}: {promql}: {e}")
            continue
        if answer.get("status") != "success":
            failures.append(f"{title}: {promql}: {answer}")
        elif answer["data"]["result"]:
            with_data += 1
        elif not any(m in expr for m in MAY_BE_EMPTY):
            failures.append(f"{title}: {promql}: no data (metric or label misspelt?)")
    for failure in failures:
        print(f"check-dashboard: {failure}", file=sys.stderr)
    print(f"check-dashboard: {total} queries, {with_data} with data, {len(failures)} failed")
    return 1 if failures or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
