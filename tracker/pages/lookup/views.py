"""The public lookup page (tra cứu): no sign-in, Vietnamese first, readable on a phone."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext, lazy_gettext

from tracker.api.transactions import use_case
from tracker.lookup.services import TooManyLookups, count_attempt, public_journey
from tracker.web.shell import page_blueprint

blp = page_blueprint("lookup", __name__)

STEPS = {
    "received_by_post": lazy_gettext("Received by the post"),
    "at_centre": lazy_gettext("Handed to the public service centre"),
    "at_department": lazy_gettext("At the department handling it"),
    "result_ready": lazy_gettext("Result issued"),
    "result_on_its_way": lazy_gettext("Result on its way"),
    "delivered": lazy_gettext("Result delivered"),
}


@blp.get("/tra-cuu", endpoint="form")
@blp.get("/tra-cuu/<code>", endpoint="form")
def lookup_form(code: str = ""):
    return render_template("lookup/lookup.html", code=code, journey=None, refused=None, steps=STEPS)


@blp.post("/tra-cuu")
@use_case
def answer():
    code, digits = request.form.get("code", "").strip(), request.form.get("phone_digits", "").strip()
    try:
        count_attempt(request.remote_addr or "unknown")
    except TooManyLookups as error:
        return render_template(
            "lookup/lookup.html", code=code, journey=None, refused=error.message, steps=STEPS
        ), error.status
    journey = public_journey(code, digits)
    refused = None if journey else gettext("No dossier matches this code and these phone digits: check both.")
    return render_template(
        "lookup/lookup.html", code=code, journey=journey, refused=refused, steps=STEPS
    ), 200 if journey else 404
