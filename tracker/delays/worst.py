"""The worst delays first, without sorting every delay.

How bad a delay is is its elapsed time over its limit. Open legs of one kind and one limit are
worse the earlier they started, so each such group is a range of ix_legs_open_limits already
in that order: its first rows are its worst. So are the transits reported missing, by limit
(ix_legs_missing), and the legs finished late, by the 8 working hours they ended in
(ix_legs_finished_worst, in order of how late). A page is the merge of each group's first rows
(page × per page of them): it costs the groups times the page, not the delays. The limits are
found by skipping through those indexes, one probe a limit. The dossiers at risk, whose allowed
spans all differ, are sorted: they are the few due within hours.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Row, Select, bindparam, literal, select, union_all

from tracker.calendar.services import working_clock
from tracker.custody.models import FINISHED_DAY, FINISHED_SEVERITY, OLDEST_FIRST, Leg
from tracker.delays.selects import LOST_AFTER_LIMITS, DelaySelects
from tracker.delays.sla import LIMITED_KINDS
from tracker.extensions import db

DAY_SECONDS = 28800  # the stretch of working clock in FINISHED_DAY
MOST_DAYS = 64  # a longer period's legs finished late are sorted whole rather than merged day by day


def _limits(source: str, *where) -> Select:
    """The distinct limits of the legs where..., one index probe each (a loose index scan)."""

    def above(floor):
        next_one = select(Leg.limit_seconds).where(*where, Leg.limit_seconds > floor)
        return next_one.order_by(Leg.limit_seconds).limit(1).scalar_subquery()

    limits = select(above(-1).label("seconds")).cte(f"{source}_limits", recursive=True)
    previous = limits.alias()
    limits = limits.union_all(select(above(previous.c.seconds)).where(previous.c.seconds.is_not(None)))
    return select(literal(source).label("source"), limits.c.seconds).where(limits.c.seconds.is_not(None))


def _groups(found: DelaySelects) -> list[tuple[str, int]]:
    """(source, limit) for each group of open or missing legs the page may draw from."""
    wanted = found.selects.get("open")
    probes = [
        _limits(kind, Leg.end_clock.is_(None), Leg.kind == kind)  # as ix_legs_open_limits
        for kind in LIMITED_KINDS
        if wanted is not None and (found.kind is None or (found.kind == "overdue_dwell") == (kind == "dwell"))
    ]
    if "missing" in found.selects:
        probes.append(_limits("missing", Leg.kind == "transit", Leg.outcome == "missing"))  # as ix_legs_missing
    return [tuple(row) for row in db.session.execute(union_all(*probes))] if probes else []


def _sorted(chosen: Select, enough: int) -> Select:
    rows = chosen.subquery()
    return (
        select(rows)
        .order_by(rows.c.severity.desc(), rows.c.started_at, rows.c.dossier_id, rows.c.item_id)
        .limit(enough)
    )


def _cuts(found: DelaySelects, enough: int) -> list[Select]:
    """Each group's worst `enough` delays."""
    oldest_first = [getattr(Leg, column) for column in OLDEST_FIRST]  # the order of their indexes
    now, cuts = found.now_clock, []
    for source, limit in _groups(found):
        if source == "missing":
            cuts.append(found.selects["missing"].where(Leg.limit_seconds == limit))
            continue
        late = [Leg.kind == source, Leg.limit_seconds == limit, Leg.start_clock < now - limit]
        lost_from = now - LOST_AFTER_LIMITS * limit  # transits that started before it are suspected lost
        if found.kind == "suspected_lost":
            late.append(Leg.start_clock < lost_from)
        elif found.kind == "overdue_transit":
            late.append(Leg.start_clock >= lost_from)
        cuts.append(found.selects["open"].where(*late))
    cuts = [cut.order_by(*oldest_first).limit(enough) for cut in cuts]
    if "finished" in found.selects:
        first, last = (working_clock(moment) // DAY_SECONDS for moment in found.period)
        days = range(first, last + 1)
        finished = found.selects["finished"]
        if len(days) > MOST_DAYS:
            cuts.append(_sorted(finished, enough))
        else:
            worst = (FINISHED_SEVERITY.desc(), Leg.started_at, Leg.dossier_id, Leg.item_id)
            ended_in = [FINISHED_DAY == bindparam(None, day, BigInteger) for day in days]  # noqa: SIM300 (an index's column)
            cuts += [finished.where(day).order_by(*worst).limit(enough) for day in ended_in]
    if "at_risk" in found.selects:
        cuts.append(_sorted(found.selects["at_risk"], enough))
    return cuts


def worst_delays(found: DelaySelects, first: int, size: int) -> list[Row]:
    """The delays found, worst first, from the first-th (counting from 0), size of them."""
    cuts = _cuts(found, first + size)
    if not cuts:
        return []
    rows = union_all(*(select(cut.subquery()) for cut in cuts)).subquery("worst")
    order = (rows.c.severity.desc(), rows.c.started_at, rows.c.dossier_id, rows.c.item_id)
    return db.session.execute(select(rows).order_by(*order).offset(first).limit(size)).all()
