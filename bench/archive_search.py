"""
Archive search over 1,000 statements: how long one query takes, in both Chinese scripts.

`python bench/archive_search.py [--statements N] [--repeat N]` (about a minute). Drops and
recreates a scratch database (BENCH_SEARCH_DATABASE, default candlelight_bench_search) on
BENCH_PG, migrates it, loads N statements (a third each in English, Traditional and Simplified
Chinese, a few of them about Tiananmen or the mothers, in both scripts), and times what the
archive page asks the database for a search: the count and the first page, through
archive.search.search() as the view calls it. The ceiling, timed in the same run on the same
connection, is a plain lookup by the unique slug index: the least a query costs here.
Target (issue 14): a search under 50 ms at 1,000 statements. Also prints each query's plan's
top line and whether the trigram index over the folded text is used.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from bench.common import PG, bench_env

DATABASE = os.environ.get("BENCH_SEARCH_DATABASE", "candlelight_bench_search")
QUERIES = [
    *("天安門", "天安门", "天安門母親", "天安门母亲", "母親", "母亲"),
    *("tiananmen mothers", "vigil"),
]
TRADITIONAL_PHRASES = [
    "我們要求平反六四",
    "釋放所有政治犯",
    "追究屠殺責任",
    "賠償死難者家屬",
    "停止打壓維權人士",
    "香港國家安全法",
    "言論自由與新聞自由",
    "我們呼籲國際社會關注",
    "紀念在鎮壓中遇難的學生和市民",
    "民主運動的歷史不應被遺忘",
    "聯署聲明全文如下",
    "各團體代表於今日發表",
]
ENGLISH_SENTENCES = [
    "We ask for the truth about the deaths of 4 June 1989.",
    "Compensation for the families and accountability for those responsible.",
    "Release every prisoner of conscience.",
    "The international community must not look away.",
    "Freedom of expression and of the press.",
    "Organisations from twenty countries signed this statement.",
]


def recreate_database() -> None:
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')


def load(count: int, rng: random.Random) -> None:
    import opencc

    from archive.models import Statement, Topic

    simplify = opencc.OpenCC("t2s")
    topic = Topic.objects.create(
        slug="tiananmen-mothers",
        name_en="Tiananmen Mothers",
        name_zh_hant="天安門母親",
        name_zh_hans="天安门母亲",
    )
    others = [
        Topic.objects.create(slug=f"topic-{n}", name_en=f"Topic {n}", name_zh_hant=f"主題{n}")
        for n in range(10)
    ]
    for n in range(count):
        language = ("en", "zh-hant", "zh-hans")[n % 3]
        about_tiananmen = n % 20 == 0  # 5 %: a query selects a few dozen, as in the archive
        if language == "en":
            sentences = rng.choices(ENGLISH_SENTENCES, k=40)
            if about_tiananmen:
                sentences.insert(20, "The Tiananmen Mothers keep their vigil.")
            title, body = f"Statement number {n}", " ".join(sentences)
        else:
            phrases = rng.choices(TRADITIONAL_PHRASES, k=60)
            if about_tiananmen:
                phrases.insert(30, "天安門母親群體")
            title, body = f"第{n}號聲明", "，".join(phrases) + "。"
            if language == "zh-hans":
                title, body = simplify.convert(title), simplify.convert(body)
        statement = Statement.objects.create(
            title=title,
            slug=f"statement-{n}",
            publisher="Bench",
            published_on=date(2000, 1, 1) + timedelta(days=n * 7),
            language=language,
            summary=body[:120],
            body=body,
            is_published=True,
        )
        statement.topics.add(topic if about_tiananmen and n % 40 == 0 else rng.choice(others))


def timed(run, repeat: int) -> tuple[float, float]:
    run()  # warm: plans cached, pages in memory
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=100)
    args = parser.parse_args()

    recreate_database()
    os.environ.update(bench_env(DATABASE, CACHE_URL="locmemcache://", LOG_LEVEL="ERROR"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "campaign.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from archive.models import Statement
    from archive.search import search

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    load(args.statements, random.Random(1989))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{args.statements} statements loaded in {time.perf_counter() - started:.1f} s")

    def ceiling() -> None:
        Statement.objects.published().filter(slug="statement-500").first()

    median, p95 = timed(ceiling, args.repeat)
    print(f"{'query':<22}{'found':>6}{'median ms':>11}{'p95 ms':>9}  plan")
    print(f"{'(ceiling: by slug)':<22}{1:>6}{median:>11.2f}{p95:>9.2f}")
    for query in QUERIES:
        results = search(Statement.objects.published(), query)

        def page(results=results) -> None:
            # What the archive page asks: the count, then the first page of twenty.
            results.count()
            list(results[:20])

        median, p95 = timed(page, args.repeat)
        sql, params = results.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        index = "trigram index" if "statement_search_text_trgm_idx" in plan else "no trigram index"
        print(f"{query:<22}{results.count():>6}{median:>11.2f}{p95:>9.2f}  {index}")
    print("Target: under 50 ms per search (issue 14). Queries under 3 characters cannot use a")
    print("trigram index: PostgreSQL reads the folded column of every row for them.")


if __name__ == "__main__":
    main()
