"""Finding dossiers as people type: a page of them, exact code matches first, then newest first.

q matches every word of it without diacritics or case in the codes, the applicant's name or
the procedure (search_text); the digits of a phone number (phone_digits); the start of an item
code or S10 number. The three ways are one condition on the dossiers' own rows, so PostgreSQL
either walks the newest-first index until a page is full (a common name: a few hundred rows)
or unites its trigram and primary key indexes in one bitmap (a rare word, a code), whichever
its estimates say is cheaper. The matches are counted exactly up to SEARCH_TOTAL_COUNTED_UP_TO
(or the end of the page asked for); past it the answer says "at least" (total_exact false), as
counting the 38,000 Nguyễns of a province-year would cost more than finding them.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import ColumnElement, Integer, and_, any_, exists, func, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import aliased

from tracker.api.pagination import paginate
from tracker.custody.models import Item
from tracker.domain.codes import normalise
from tracker.domain.text import digits_of, fold
from tracker.dossiers.models import Dossier
from tracker.extensions import db
from tracker.units.services import find_unit

NEWEST_FIRST = (Dossier.received_at.desc(), Dossier.id.desc())


def _filters(department: str | None, holder: str | None, status: str | None) -> list:
    conditions = []
    if department:
        conditions.append(Dossier.department_id == find_unit(department).id)
    if holder:
        holder_id = find_unit(holder).id
        held = aliased(Item)  # apart from the items a search by item code reads
        conditions.append(exists().where(held.dossier_id == Dossier.id, held.holder_unit_id == holder_id))
    if status:
        conditions.append(Dossier.status == status)
    return conditions


def _phone_digits(q: str) -> str:
    """The digits of a phone number typed, spaces and dots allowed; no letters."""
    digits = digits_of(q)
    return digits if len(digits) >= 3 and not any(c.isalpha() for c in q) else ""


def _exact_ids(q: str) -> list[int]:
    """Dossiers whose own code, or one of whose items' codes or S10 numbers, is exactly q."""
    code = normalise(q)
    by_dossier = select(Dossier.id).where(or_(Dossier.code == q.strip(), Dossier.tracking_code == code))
    by_item = select(Item.dossier_id).where(or_(Item.code == code, Item.postal_id == code))
    return list(db.session.scalars(by_dossier.union(by_item)))


def _by_item(code: str) -> ColumnElement[bool]:
    """The dossier has an item whose code or S10 number starts with code."""
    dossier_ids = select(Item.dossier_id).where(
        or_(Item.code.startswith(code, autoescape=True), Item.postal_id.startswith(code, autoescape=True))
    )
    if db.session.get_bind().dialect.name == "postgresql":
        # id = ANY(ARRAY(...)) is read through the primary key, so it joins the trigram indexes
        # in one bitmap; id IN (...) under an OR would be tested row by row over the whole table.
        return Dossier.id == any_(func.array(dossier_ids.scalar_subquery(), type_=ARRAY(Integer)))
    return Dossier.id.in_(dossier_ids)


def _matching(q: str) -> ColumnElement[bool]:
    """Every way q may name a dossier, as one condition on its row."""
    ways = [and_(*(Dossier.search_text.contains(word, autoescape=True) for word in fold(q).split()))]
    if phone := _phone_digits(q):
        ways.append(Dossier.phone_digits.contains(phone))
    ways.append(_by_item(normalise(q)))
    return or_(*ways)


def _page_of_ids(condition: ColumnElement[bool], exact: list[int], page: int, per_page: int) -> list[int]:
    """The ids of one page: the exact matches first, then the others newest first."""
    offset = (page - 1) * per_page
    first = []
    if exact:
        first = list(
            db.session.scalars(select(Dossier.id).where(condition, Dossier.id.in_(exact)).order_by(*NEWEST_FIRST))
        )
    ids = first[offset : offset + per_page]
    if len(ids) < per_page:
        others = select(Dossier.id).where(condition).order_by(*NEWEST_FIRST)
        if first:
            others = others.where(Dossier.id.not_in(first))
        ids += db.session.scalars(others.limit(per_page - len(ids)).offset(max(offset - len(first), 0)))
    return ids


def _counted_up_to(condition: ColumnElement[bool], limit: int) -> int:
    """How many dossiers match, counting no further than limit."""
    return db.session.scalar(
        select(func.count()).select_from(select(Dossier.id).where(condition).limit(limit).subquery())
    )


def search_dossiers(
    *,
    q: str | None,
    page: int,
    per_page: int,
    department: str | None = None,
    holder: str | None = None,
    status: str | None = None,
) -> dict:
    """A page of the dossiers matching every filter given:
    {"items", "page", "per_page", "total", "total_exact"}; total is a lower bound when not exact."""
    conditions = _filters(department, holder, status)
    if not (q and q.strip()):  # a listing: the page walks the (received_at, id) index
        listing = select(Dossier).where(*conditions).order_by(*NEWEST_FIRST)
        return {**paginate(listing, page, per_page), "total_exact": True}
    condition = and_(*conditions, _matching(q))
    ids = _page_of_ids(condition, _exact_ids(q), page, per_page)
    counted_up_to = max(current_app.config["SEARCH_TOTAL_COUNTED_UP_TO"], page * per_page)
    if 0 < len(ids) < per_page:  # the last page: what came before it and what is on it
        total = (page - 1) * per_page + len(ids)
    else:
        total = _counted_up_to(condition, counted_up_to + 1)
    by_id = {dossier.id: dossier for dossier in db.session.scalars(select(Dossier).where(Dossier.id.in_(ids)))}
    return {
        "items": [by_id[i] for i in ids], "page": page, "per_page": per_page,
        "total": min(total, counted_up_to), "total_exact": total <= counted_up_to,
    }  # fmt: skip
