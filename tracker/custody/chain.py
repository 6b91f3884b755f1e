"""The custody record's hash chains: every event hashes its content and its predecessor's hash.

Chain key: an event about an item belongs to that item's chain (`item:<id>`); an event with
no item (a transfer cancelled, a seal broken) belongs to its transfer's chain
(`transfer:<id>`). Within a chain the events follow their ids, the order they were written.
The chain's own row (the item or the transfer) keeps its head, the latest event's hash
(`chain_head`): sealing an event reads it from that row locked FOR UPDATE on PostgreSQL
(SQLite serialises writers), links to it and moves it, so two transactions never link to the
same predecessor and no query looks for the head. There is no global lock: chains of
different items are written in parallel.

content_hash = SHA-256 of the event's canonical content: a JSON object of CHAINED_FIELDS
(previous_hash included, so rewriting one event breaks every later link), keys sorted, no
spaces, times in UTC ISO 8601 with microseconds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, func, literal, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from tracker.custody.models import CustodyDayDigest, CustodyEvent, Item, Transfer
from tracker.database import is_locked, note_locked, upsert_insert
from tracker.extensions import db

CHAINED_FIELDS = (
    "kind", "item_id", "transfer_id", "unit_id", "actor_id", "occurred_at", "recorded_at", "device_id", "note",
    "corrects_id", "counterpart_unit_id", "related_transfer_id", "previous_hash",
)  # fmt: skip
ONE_DAY = timedelta(days=1)
EMPTY_ROOT = hashlib.sha256().hexdigest()  # the digest of a day with no event
# A transaction begun just before midnight may still commit events of that day a moment after.
CLOSED_AFTER = timedelta(hours=1)


def _plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def content_hash(values: Mapping) -> str:
    """The SHA-256 (hex) of an event's canonical content, from a mapping of CHAINED_FIELDS."""
    content = {name: _plain(values[name]) for name in CHAINED_FIELDS}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def chain_key(item_id: int | None, transfer_id: int | None) -> str:
    return f"item:{item_id}" if item_id is not None else f"transfer:{transfer_id}"


def _chain_condition(item_id: int | None, transfer_id: int | None):
    if item_id is not None:
        return CustodyEvent.item_id == item_id
    return CustodyEvent.item_id.is_(None) & (CustodyEvent.transfer_id == transfer_id)


def last_hash(item_id: int | None, transfer_id: int | None, before_id: int | None = None) -> str | None:
    """The content_hash of the chain's latest event (before an event id, if given)."""
    statement = select(CustodyEvent.content_hash).where(_chain_condition(item_id, transfer_id))
    if before_id is not None:
        statement = statement.where(CustodyEvent.id < before_id)
    return db.session.scalar(statement.order_by(CustodyEvent.id.desc()).limit(1))


def seal(event: CustodyEvent, owner: Item | Transfer) -> None:
    """Link a new event (not yet in the session) to its chain's head on the owner's row, and hash it."""
    if not is_locked(db.session, owner):  # a use case that found the row FOR UPDATE has it fresh
        model = type(owner)
        locked = select(model).where(model.id == owner.id).with_for_update(of=model)
        db.session.execute(locked.execution_options(populate_existing=True))
        note_locked(db.session, owner)
    values = {name: getattr(event, name) for name in CHAINED_FIELDS if name != "previous_hash"}
    owner.chain_head = link(values, owner.chain_head)
    event.previous_hash, event.content_hash = values["previous_hash"], values["content_hash"]


def link(values: dict, head: str | None) -> str:
    """Chain an event's values (a mapping of CHAINED_FIELDS but previous_hash) to the head of
    its chain: sets their previous_hash and content_hash, and returns the chain's new head.
    The caller holds the chain owner's row locked, and writes the new head to it."""
    values["previous_hash"] = head
    values["content_hash"] = content_hash(values)
    return values["content_hash"]


@dataclass(frozen=True)
class Mismatch:
    event_id: int
    kind: str
    chain: str
    reason: str


@dataclass
class DayDigest:
    day: date
    events: int
    root: str


@dataclass
class Verification:
    events: int
    chains: int
    mismatch: Mismatch | None
    digests: list[DayDigest]


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TRACKER_TIMEZONE"])


def local_day(moment: datetime) -> date:
    return moment.astimezone(_zone()).date()


def start_of_day(day: date) -> datetime:
    """Local midnight of a day, the boundary of its digest."""
    return datetime.combine(day, time(), tzinfo=_zone())


def _events_since(since: datetime | None) -> Iterator:
    columns = [CustodyEvent.id, CustodyEvent.content_hash, *(getattr(CustodyEvent, n) for n in CHAINED_FIELDS)]
    statement = select(*dict.fromkeys(columns)).order_by(CustodyEvent.id)
    if since is not None:
        statement = statement.where(CustodyEvent.recorded_at >= since)
    yield from db.session.execute(statement.execution_options(yield_per=2000))


class _Digests:
    """A root hash per local day: SHA-256 over that day's content hashes in id order."""

    def __init__(self) -> None:
        self.days: dict[date, tuple[hashlib._Hash, int]] = {}

    def add(self, recorded_at: datetime, digest: str) -> None:
        self.add_to(local_day(recorded_at), digest)

    def add_to(self, day: date, digest: str) -> None:
        hasher, count = self.days.get(day) or (hashlib.sha256(), 0)
        hasher.update(bytes.fromhex(digest))
        self.days[day] = (hasher, count + 1)

    def result(self) -> list[DayDigest]:
        return [DayDigest(day, count, hasher.hexdigest()) for day, (hasher, count) in sorted(self.days.items())]


def verify(since: datetime | None = None) -> Verification:
    """Check every chain (from `since`, trusting the stored hash of the event before it)."""
    heads: dict[str, str | None] = {}
    digests = _Digests()
    count, mismatch = 0, None
    for row in _events_since(since):
        count += 1
        key = chain_key(row.item_id, row.transfer_id)
        if key not in heads:
            heads[key] = last_hash(row.item_id, row.transfer_id, before_id=row.id) if since else None
        problem = None
        if row.previous_hash != heads[key]:
            problem = "its previous_hash is not the hash of the chain's previous event"
        elif row.content_hash != content_hash(row._mapping):
            problem = "its content no longer matches its content_hash"
        if problem and mismatch is None:
            mismatch = Mismatch(row.id, row.kind, key, problem)
        heads[key] = row.content_hash
        digests.add(row.recorded_at, row.content_hash)
    return Verification(count, len(heads), mismatch, digests.result())


def _digest_of_day(day: date) -> DayDigest:
    """SHA-256 over the day's content hashes in id order, read through the recorded_at index.

    PostgreSQL hashes them itself (a busy day has tens of thousands); SQLite's are hashed here.
    """
    e = CustodyEvent
    that_day = and_(e.recorded_at >= start_of_day(day), e.recorded_at < start_of_day(day + ONE_DAY))
    if db.session.get_bind().dialect.name == "postgresql":
        joined = func.string_agg(func.decode(e.content_hash, "hex"), aggregate_order_by(literal(b""), e.id))
        root = func.encode(func.sha256(joined), "hex")
        count, root = db.session.execute(select(func.count(), root).where(that_day)).one()
        return DayDigest(day, count, root or EMPTY_ROOT)
    digests = _Digests()
    statement = select(e.content_hash).where(that_day).order_by(e.id)
    for digest in db.session.scalars(statement.execution_options(yield_per=5000)):
        digests.add_to(day, digest)
    return next(iter(digests.result()), DayDigest(day, 0, EMPTY_ROOT))


def daily_digests(days: int, now: datetime | None = None) -> list[DayDigest]:
    """The digests of the last `days` local days with events, oldest first (the dashboard's).

    A day over for more than CLOSED_AFTER is closed: its digest is computed once and kept
    (custody_day_digests); today's is computed on each call. The caller commits what is kept.
    """
    now = now or datetime.now(UTC)
    today = local_day(now)
    wanted = [today - timedelta(days=back) for back in range(days - 1, -1, -1)]
    kept = {
        row.day: DayDigest(row.day, row.events, row.root)
        for row in db.session.scalars(select(CustodyDayDigest).where(CustodyDayDigest.day.in_(wanted)))
    }
    digests = []
    for day in wanted:
        digest = kept.get(day) or _digest_of_day(day)
        if day not in kept and start_of_day(day + ONE_DAY) + CLOSED_AFTER <= now:
            _keep(digest)
        if digest.events:
            digests.append(digest)
    return digests


def _keep(digest: DayDigest) -> None:
    """Store a closed day's digest; a request that kept it first wins, with the same value."""
    insert = upsert_insert(db.session.get_bind().dialect.name, CustodyDayDigest)
    values = {"day": digest.day, "events": digest.events, "root": digest.root}
    db.session.execute(insert.values(**values).on_conflict_do_nothing(index_elements=["day"]))
