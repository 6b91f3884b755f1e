"""The worst delays first, without sorting every delay.

How bad a delay is is its elapsed time over its limit. Open legs of one kind and one limit are
worse the earlier they started, so each such group (tracker/delays/groups.py) is a range of
ix_legs_open_limits already in that order: its first rows are its worst. So are the transits
reported missing, by limit (ix_legs_missing), and the legs finished late, by the 8 working hours
they ended in (ix_legs_finished_worst, in order of how late). A page is the merge of each
group's first rows (page × per page of them): it costs the groups times the page, not the
delays. The dossiers at risk, whose allowed spans all differ, are sorted: they are the few due
within hours.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sqlalchemy import BigInteger, CompoundSelect, Integer, Row, Select, bindparam, select, union_all

from tracker.calendar.services import working_clock
from tracker.custody.models import FINISHED_DAY, FINISHED_DAY_SECONDS, FINISHED_SEVERITY, OLDEST_FIRST, Leg
from tracker.delays.groups import group_selects, limit_params
from tracker.delays.selects import DelaySelects, shaped_selects
from tracker.domain.calendar import OutsideSupportedRange
from tracker.extensions import db

MOST_DAYS = 64  # a longer period's legs finished late are sorted whole rather than merged day by day


def _sorted(chosen: Select | CompoundSelect) -> Select:
    """The rows chosen, worst first, ties broken as everywhere in the delays."""
    rows = chosen.subquery()
    return select(rows).order_by(rows.c.severity.desc(), rows.c.started_at, rows.c.dossier_id, rows.c.item_id)


def _cuts(shape: tuple, sources: tuple[str, ...], days: int) -> list[Select]:
    """Each group's worst, as many as the parameter "enough" says; days 0: the period's legs
    finished late sorted whole."""
    selects = shaped_selects(*shape)
    oldest_first = [getattr(Leg, column) for column in OLDEST_FIRST]  # the order of their indexes
    cuts = [late for _, late in group_selects(shape, sources)]
    enough = bindparam("enough", type_=Integer)
    cuts = [cut.order_by(*oldest_first).limit(enough) for cut in cuts]
    if "finished" in selects:
        finished = selects["finished"]
        if not days:
            cuts.append(_sorted(finished).limit(enough))
        worst = (FINISHED_SEVERITY.desc(), Leg.started_at, Leg.dossier_id, Leg.item_id)
        for day in range(days):
            ended_in = FINISHED_DAY == bindparam(f"day_{day}", type_=BigInteger)  # noqa: SIM300 (an index's column)
            cuts.append(finished.where(ended_in).order_by(*worst).limit(enough))
    if "at_risk" in selects:
        cuts.append(_sorted(selects["at_risk"]).limit(enough))
    return cuts


def _days(period: tuple[datetime, datetime]) -> list[int]:
    """The period's stretches of FINISHED_DAY; none (its legs finished late are sorted whole) when
    there are too many, or when the period runs past the calendar's days (no leg ends there)."""
    try:
        start, end = (working_clock(moment) // FINISHED_DAY_SECONDS for moment in period)
    except OutsideSupportedRange:
        return []
    return list(range(start, end + 1)) if end - start < MOST_DAYS else []


@lru_cache(maxsize=256)  # shapes of filters × groups × days: a few in use at a time
def _page_statement(shape: tuple, sources: tuple[str, ...], days: int) -> Select | None:
    """The page's statement for this shape of filters, these groups and days (kept: it is the same
    statement for every page of every moment)."""
    cuts = _cuts(shape, sources, days)
    if not cuts:
        return None
    merged = _sorted(union_all(*(select(cut.subquery()) for cut in cuts)))
    return merged.offset(bindparam("first", type_=Integer)).limit(bindparam("size", type_=Integer))


def worst_delays(found: DelaySelects, groups: list[tuple[str, int]], first: int, size: int) -> list[Row]:
    """The delays found, worst first, from the first-th (counting from 0), size of them; groups
    as limit_groups found them."""
    params = {**found.params, **limit_params(groups), "enough": first + size, "first": first, "size": size}
    days = _days(found.period) if "finished" in found.selects else []
    params.update({f"day_{index}": day for index, day in enumerate(days)})
    statement = _page_statement(found.shape, tuple(source for source, _ in groups), len(days))
    return db.session.execute(statement, params).all() if statement is not None else []
