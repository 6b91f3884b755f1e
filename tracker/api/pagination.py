"""Pagination in the body, as the contract says: {"items", "page", "per_page", "total"}."""

from __future__ import annotations

from functools import cache

from marshmallow import Schema, fields, validate
from sqlalchemy import Select, func, select

from tracker.extensions import db

MAX_PER_PAGE = 200
# Deeper than page 5000 (a million rows at most), a listing is searched with its filters, not paged through.
MAX_PAGE = 5000


class PageArgs(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=MAX_PER_PAGE))


@cache
def page_of(item_schema: type[Schema]) -> type[Schema]:
    """The page schema wrapping item_schema; one class per item schema so the spec names it once."""
    name = item_schema.__name__.removesuffix("Schema") + "Page"
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "page": fields.Integer(),
            "per_page": fields.Integer(),
            "total": fields.Integer(),
        },
        name=name,
    )


def paginate(statement: Select, page: int, per_page: int) -> dict:
    """One page of the ORM rows selected by statement, and how many there are in all."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = db.session.scalars(statement.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return {"items": rows, "page": page, "per_page": per_page, "total": total}
