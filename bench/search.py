"""Dossier search on a province-year: what people type, answered in under 100 ms at 1,000,000 items.

Times `GET /api/v1/dossiers?q=...` (the first page of 20, with its total counted up to 1,000;
"+" marks a lower bound) through the WSGI app on a year loaded by bench/reports.py (the URL's
database gets `_<items>` appended, as there; the year is loaded when that database is empty): a
name typed without diacritics, a common family name, a dossier code and its start, an item
code's start, an S10 number's start and a phone number's last digits. Beside each, the bare SQL
that finds the same first page with the same indexes as one OR statement, page and the total of
every match together, timed in the same run: the anchor. Run with `make bench`, or:
python bench/search.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/tracker_bench
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select, text

from bench.database import migrate
from bench.province_year import PASSWORD, counted, load_year
from bench.reports import sized_url, timed
from tracker import create_app
from tracker.custody.models import Item
from tracker.dossiers.models import Dossier
from tracker.extensions import db

TARGET_MS = 100
BARE = """
SELECT d.id, count(*) OVER () FROM dossiers d
WHERE d.search_text LIKE :like OR d.phone_digits LIKE :like
   OR EXISTS (SELECT 1 FROM items i WHERE i.dossier_id = d.id AND (i.code LIKE :prefix OR i.postal_id LIKE :prefix))
ORDER BY d.received_at DESC, d.id DESC LIMIT 20
"""


def queries() -> dict[str, str]:
    """What a clerk types, taken from the loaded year itself."""
    dossier = db.session.execute(
        select(Dossier.code, Dossier.phone_digits).order_by(Dossier.id.desc()).limit(1).offset(1000)
    ).one()
    item = db.session.scalar(select(Item.code).order_by(Item.id.desc()).limit(1).offset(5000))
    postal = db.session.scalar(select(Item.postal_id).where(Item.postal_id.is_not(None)).limit(1).offset(7000))
    return {
        "name without diacritics": "nguyen thi anh",
        "common family name": "nguyen",
        "dossier code": dossier.code,
        "dossier code's start": dossier.code[:-2],
        "item code's start": item[:8],
        "S10 number's start": postal[:7],
        "phone's last 6 digits": dossier.phone_digits[-6:],
        "nothing typed (newest)": "",
    }


def bare_first_page(q: str) -> float:
    """The same first page and total by hand: the folded words and digits, the code prefixes."""
    like = f"%{q.lower().replace(' ', '%')}%"  # "%%" for nothing typed: every dossier
    params = {"like": like, "prefix": f"{q.upper()}%"}
    connection = db.session.connection()
    seconds, _ = timed(lambda: connection.execute(text(BARE), params).all())
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--items", type=int, default=1_000_000)
    args = parser.parse_args()
    url = sized_url(args.database_url, args.items)
    migrate(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        if counted(Dossier) == 0:
            began = time.perf_counter()
            load_year(args.items, datetime.now(UTC), lambda line: print(line, flush=True))
            print(f"loaded in {time.perf_counter() - began:.0f} s")
        client = app.test_client()
        token = client.post("/api/v1/auth/token", json={"username": "supervisor", "password": PASSWORD}).json["token"]

        def search(q: str):
            def call() -> dict:
                response = client.get(
                    "/api/v1/dossiers", query_string={"q": q, "per_page": 20},
                    headers={"Authorization": f"Bearer {token}"},
                )  # fmt: skip
                assert response.status_code == 200, response.json
                return response.json

            return call

        backend = db.engine.dialect.name
        print(f"dossier search, {counted(Dossier):,} dossiers on {backend}: median of 5 after a warm-up (server time)")
        for name, q in queries().items():
            seconds, answer = timed(search(q))
            bare = bare_first_page(q)
            ms = seconds * 1000
            print(
                f"  {name:<24} {q!r:<26} {ms:8.1f} ms (target {TARGET_MS} ms, {ms / TARGET_MS:4.2f} of it)"
                f"   bare OR query {bare * 1000:7.1f} ms ({bare / seconds:5.1f} x faster)"
                f"   {answer['total']:>7,}{' ' if answer['total_exact'] else '+'} found"
                f"   {'met' if ms < TARGET_MS else 'NOT MET'}"
            )


if __name__ == "__main__":
    main()
