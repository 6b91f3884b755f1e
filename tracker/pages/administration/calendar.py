"""The admin's calendar page: a month marked day by day, and days off or make-up days added in two steps."""

from __future__ import annotations

from datetime import date, datetime

from flask import g, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext

from tracker.api.transactions import use_case
from tracker.calendar.month import DAY_KINDS, month_weeks
from tracker.calendar.services import current_calendar
from tracker.database import utcnow
from tracker.delays.remeasure import legs_measured_on, set_calendar_day
from tracker.domain.calendar import SUPPORTED_DAYS
from tracker.domain.custody import Role
from tracker.web.shell import page_blueprint, signed_in

blp = page_blueprint("calendar_admin", __name__, url_prefix="/admin")

# What the form's "kind" means for set_calendar_day's `working`.
CHANGES = {"day_off": False, "make_up": True, "normal": None}


def _month_of(text: str | None) -> tuple[int, int]:
    """'2026-09' as (2026, 9); this month in the province when absent or not a supported month."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        if date(year, month, 1) in SUPPORTED_DAYS:
            return year, month
    except ValueError:
        pass
    today = datetime.now(current_calendar().timezone).date()
    return today.year, today.month


def _shifted(year: int, month: int, by: int) -> str | None:
    index = year * 12 + month - 1 + by
    first = date(index // 12, index % 12 + 1, 1)
    return f"{first:%Y-%m}" if first in SUPPORTED_DAYS else None


def _calendar_page(year: int, month: int, typed: dict | None = None, error: str | None = None):
    page = render_template(
        "administration/calendar.html",
        weeks=month_weeks(year, month, get_locale().language),
        month=date(year, month, 1),
        previous=_shifted(year, month, -1),
        following=_shifted(year, month, 1),
        kinds=DAY_KINDS,
        typed=typed or {"day": "", "kind": "day_off", "note": ""},
        error=error,
        supported=SUPPORTED_DAYS,
    )
    return make_response(page, 422 if error else 200)


def _read_change() -> tuple[dict, date | None, str | None]:
    """What was typed, the day it names, and what to do when it is refused."""
    typed = {key: request.form.get(key, "").strip() for key in ("day", "kind", "note")}
    typed["note"] = typed["note"][:200]
    try:
        day = date.fromisoformat(typed["day"])
    except ValueError:
        return typed, None, gettext("Enter the day as a date, for example 2026-09-05.")
    if day not in SUPPORTED_DAYS:
        return typed, None, gettext("Choose a day from 2000-01-01 to 2100-12-31.")
    if typed["kind"] not in CHANGES:
        return typed, None, gettext("Choose what the day becomes.")
    return typed, day, None


@blp.get("/calendar")
@signed_in(Role.ADMIN)
def month():
    return _calendar_page(*_month_of(request.args.get("month")))


@blp.post("/calendar")
@signed_in(Role.ADMIN)
def review():
    """Step one: say how many legs the change measures again, before anything is saved."""
    typed, day, error = _read_change()
    if error:
        return _calendar_page(*_month_of(request.args.get("month")), typed=typed, error=error)
    count = legs_measured_on(day, utcnow())
    return render_template("administration/calendar_confirm.html", typed=typed, day=day, count=count)


@blp.post("/calendar/confirm")
@signed_in(Role.ADMIN)
@use_case
def confirm():
    typed, day, error = _read_change()
    if error:
        return _calendar_page(*_month_of(None), typed=typed, error=error)
    set_calendar_day(g.user, day, CHANGES[typed["kind"]], typed["note"])
    return redirect(url_for("calendar_admin.month", month=f"{day:%Y-%m}", saved=day.isoformat()))
