#!/usr/bin/env python3
"""bench/check-baseline on results made from bench/baseline.json itself: the baseline's own
figures pass (exit 0), one ratio worse beyond its tolerance fails (1), and a result of another
corpus or of neither bench is an error (2) unless --any-corpus."""
import json
import os
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHECK = os.path.join(REPO, "bench", "check-baseline")
BASE = json.load(open(os.path.join(REPO, "bench", "baseline.json")))
ARTICLES = BASE["corpus_articles"]


def query_result(scale):
    """A query-bench result whose ratios are the baseline's, each times `scale` (name -> factor)."""
    corpora = {}
    for label in ("1x", "4x"):
        corpora[label] = {"articles": ARTICLES[label], "fresh": {"nsearch": {"per_kind": {}},
                          "quest": {"per_kind": {}}}, "batch": {"nsearch": {"qps": 1000.0}}}
    for e in BASE["query-bench"]:
        f = scale.get(e["name"], 1.0)
        if e["metric"] == "fresh_ratio":
            fr = corpora[e["corpus"]]["fresh"]
            fr["quest"]["per_kind"].setdefault(e["kind"], {"median_ms": 3.0, "p95_ms": 4.0})
            fr["nsearch"]["per_kind"].setdefault(e["kind"], {"median_ms": 3.0, "p95_ms": 4.0})
            fr["nsearch"]["per_kind"][e["kind"]][e["stat"]] = \
                fr["quest"]["per_kind"][e["kind"]][e["stat"]] * e["baseline"] * f
        elif e["metric"] == "batch_ratio":
            corpora[e["corpus"]]["batch"][e["peer"]] = {"qps": 1000.0 / (e["baseline"] * f)}
    one = corpora["1x"]["fresh"]["nsearch"]["per_kind"]["all"]["median_ms"]
    scaling = [e for e in BASE["query-bench"] if e["metric"] == "scaling"][0]
    corpora["4x"]["fresh"]["nsearch"]["per_kind"]["all"]["median_ms"] = one * scaling["baseline"] * \
        scale.get(scaling["name"], 1.0)
    # the 4x quest median follows so that the 4x ratio stays the baseline's
    e4 = [e for e in BASE["query-bench"] if e["metric"] == "fresh_ratio" and e["corpus"] == "4x"
          and e["kind"] == "all"][0]
    corpora["4x"]["fresh"]["quest"]["per_kind"]["all"]["median_ms"] = \
        corpora["4x"]["fresh"]["nsearch"]["per_kind"]["all"]["median_ms"] / (e4["baseline"] * scale.get(e4["name"], 1.0))
    return {"meta": {"git": "test"}, "corpora": corpora}


def run(tmp, name, doc, *opts):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        json.dump(doc, f)
    r = subprocess.run([sys.executable, CHECK, path, "--quiet"] + list(opts),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return r.returncode, r.stdout


def main():
    failures = []

    def expect(what, got, want):
        if got[0] != want:
            failures.append("%s: exit %d, want %d\n%s" % (what, got[0], want, got[1]))

    with tempfile.TemporaryDirectory() as tmp:
        expect("the baseline's own figures", run(tmp, "same.json", query_result({})), 0)
        worse = "fresh median nsearch/quest, 1x or2"
        tol = [e for e in BASE["query-bench"] if e["name"] == worse][0]["tolerance"]
        expect("or2 worse beyond tolerance", run(tmp, "worse.json", query_result({worse: 1 + tol + 0.05})), 1)
        expect("or2 worse within tolerance", run(tmp, "within.json", query_result({worse: 1 + tol - 0.05})), 0)
        slow_batch = "batch qps nsearch/FTS5, 1x"
        expect("batch slower than the baseline", run(tmp, "batch.json", query_result({slow_batch: 0.5})), 1)
        other = query_result({worse: 2.0})
        for label in other["corpora"]:
            other["corpora"][label]["articles"] = 1000
        expect("another corpus", run(tmp, "other.json", other), 2)
        expect("another corpus, --any-corpus", run(tmp, "other.json", other, "--any-corpus"), 1)
        expect("neither bench", run(tmp, "none.json", {"hits": []}), 2)
        index = {"meta": {"versions": {"git": "test"}}, "corpora": [{"label": "1x", "articles": ARTICLES["1x"],
                 "omindex_compact": {"bytes": 197.4e6}, "summary": {"speed_ratio": 2.0,
                 "nsearch": {"index_mb": 196.0, "peak_rss_mb": 72.0}, "omindex": {"peak_rss_mb": 361.0}}}]}
        expect("index-bench, speed ratio 2.0 against 2.59", run(tmp, "index.json", index), 1)
        index["corpora"][0]["summary"]["speed_ratio"] = 2.6
        expect("index-bench at the baseline", run(tmp, "index.json", index), 0)
    for f in failures:
        print(f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
