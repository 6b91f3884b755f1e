"""Finding dossiers as people type: a page of them, exact code matches first, then newest first.

q matches every word of it without diacritics or case in the codes, the applicant's name or
the procedure (search_text); the digits of a phone number (phone_digits); the start of an item
code or S10 number. Each of the three is its own indexed query (trigram GIN indexes on
PostgreSQL, prefix indexes on items), their ids are united, and one statement sorts the union
and counts it: a common name costs one pass over its matches, a code a few index probes.
"""

from __future__ import annotations

from sqlalchemy import Select, case, exists, func, literal, or_, select, union
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
        held = aliased(Item)  # apart from the items a search by item code joins
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
    return list(db.session.scalars(union(by_dossier, by_item)))


def _matching(q: str, conditions: list) -> Select:
    """(id, received_at) of every dossier q matches, one indexed query per way of matching."""
    key = (Dossier.id, Dossier.received_at)
    words = fold(q).split()
    code = normalise(q)
    branches = [select(*key).where(*conditions, *(Dossier.search_text.contains(w, autoescape=True) for w in words))]
    if phone := _phone_digits(q):
        branches.append(select(*key).where(*conditions, Dossier.phone_digits.contains(phone)))
    by_item = or_(Item.code.startswith(code, autoescape=True), Item.postal_id.startswith(code, autoescape=True))
    branches.append(select(*key).join(Item, Item.dossier_id == Dossier.id).where(*conditions, by_item))
    return union(*branches)


def _page_of_ids(found, order: list, page: int, per_page: int) -> tuple[list[int], int]:
    """One page of the found ids in order, and how many were found: one statement."""
    rows = db.session.execute(
        select(found.c.id, func.count().over()).order_by(*order).limit(per_page).offset((page - 1) * per_page)
    ).all()
    if rows:
        return [row[0] for row in rows], rows[0][1]
    return [], db.session.scalar(select(func.count()).select_from(found))  # a page past the end


def search_dossiers(
    *,
    q: str | None,
    page: int,
    per_page: int,
    department: str | None = None,
    holder: str | None = None,
    status: str | None = None,
) -> dict:
    """A page of the dossiers matching every filter given: {"items", "page", "per_page", "total"}."""
    conditions = _filters(department, holder, status)
    if not (q and q.strip()):  # a listing: the page walks the (received_at, id) index
        return paginate(select(Dossier).where(*conditions).order_by(*NEWEST_FIRST), page, per_page)
    found = _matching(q, conditions).subquery("found")
    exact = _exact_ids(q)
    first = case((found.c.id.in_(exact), 0), else_=1) if exact else literal(1)
    order = [first, found.c.received_at.desc(), found.c.id.desc()]
    ids, total = _page_of_ids(found, order, page, per_page)
    by_id = {dossier.id: dossier for dossier in db.session.scalars(select(Dossier).where(Dossier.id.in_(ids)))}
    return {"items": [by_id[i] for i in ids], "page": page, "per_page": per_page, "total": total}
