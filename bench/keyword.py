"""Uncached keyword search: how long `CASES.search` takes for a new keyword, by term class.

Usage (on a database built as bench/load.py or generate_cases builds it):
  DATABASE_URL=sqlite:////tmp/ngram10k.sqlite3 .venv/bin/python bench/keyword.py [--scan]
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/collanavi_bench_ngram \
      .venv/bin/python bench/keyword.py --rounds 5

The cache is cleared before every query, so each one computes its keyword matches, facet
counts and page from the database. Prints, per class, p50/p95 of the keyword match alone
(`containing_all`) and of the whole `CASES.search`, and how many cases matched.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

CLASSES = {
    "1 char, common": ["地", "会", "動", "市"],
    "1 char, rare": ["猫", "竹", "碁", "鯨"],
    "2 chars, common": ["福祉", "地域", "活動", "参加"],
    "2 chars, rare": ["竹林", "囲碁", "落語", "鯨肉"],
    "3+ chars, common": ["子ども", "まちづくり", "ボランティア", "地域の"],
    "3+ chars, 5–20%": ["まちづくり", "防災訓練", "日本語教室", "子ども食堂"],
    "3+ chars, rare": ["竹林整備", "防災訓練の", "空き家バンク", "ねこカフェ"],
    "two terms": ["福祉 子ども", "地域 竹林", "まちづくり 参加"],
}


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5, help="times each query is asked")
    parser.add_argument(
        "--scan", action="store_true", help="the plain substring scan, as before the index"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collanavi.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection

    from cases.models import Case
    from cases.selectors import CASES
    from kernel import catalogue, ngram
    from kernel.catalogue import containing_all
    from lib.text import keyword_terms

    if args.scan:
        ngram.matching = ngram._scan
    total = Case.objects.published().count()
    how = "substring scan" if args.scan else "n-gram index"
    print(f"{connection.vendor}, {total:,} published cases, {how}, {args.rounds} rounds")
    print(f"{'class':<18} {'match p50':>10} {'p95':>8} {'search p50':>11} {'p95':>8}  matches")

    def forget_searches() -> None:
        """Every cached search and keyword match goes; the catalogue version (and with it the
        bitmaps this process holds) stays, as between two searches of a quiet day."""
        version = catalogue.version()
        cache.clear()
        cache.set(catalogue.VERSION_KEY, int(version), None)

    CASES.search({"q": "福祉"})  # warm up the analyser, the connection and the bitmaps
    for name, queries in CLASSES.items():
        matched, searched, counts = [], [], []
        for round_ in range(args.rounds):
            for query in queries:
                terms = keyword_terms(query)
                forget_searches()
                start = time.perf_counter()
                containing_all(Case.objects.all(), terms)
                matched.append(time.perf_counter() - start)
                forget_searches()
                start = time.perf_counter()
                result = CASES.search({"q": query})
                searched.append(time.perf_counter() - start)
                if not round_:
                    counts.append(f"{query}:{result.total}")
        ms = [1000 * statistics.median(matched), 1000 * percentile(matched, 95)]
        ms += [1000 * statistics.median(searched), 1000 * percentile(searched, 95)]
        print(
            f"{name:<18} {ms[0]:>8.1f}ms {ms[1]:>6.1f}ms {ms[2]:>9.1f}ms {ms[3]:>6.1f}ms  "
            + " ".join(counts)
        )


if __name__ == "__main__":
    main()
