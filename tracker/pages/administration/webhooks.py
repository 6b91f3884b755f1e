"""Webhook subscriptions for the admin: add (the secret shown once), remove, deliveries, resend."""

from __future__ import annotations

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from tracker.api.transactions import use_case
from tracker.domain.custody import Role
from tracker.errors import Unprocessable
from tracker.extensions import db
from tracker.web.shell import page_blueprint, signed_in
from tracker.webhooks import services
from tracker.webhooks.schemas import EVENT_TYPES, NewWebhookSubscriptionSchema

blp = page_blueprint("webhook_pages", __name__)

RECENT_DELIVERIES = 50
DELIVERY_STATUSES = {
    "pending": _l("waiting to be sent"),
    "succeeded": _l("received by the endpoint"),
    "failed": _l("given up"),
}


def _list_page(form: dict, error: str | None = None, status: int = 200):
    subscriptions = db.session.scalars(services.subscriptions_query(g.user)).all()
    page = render_template(
        "administration/webhooks.html", subscriptions=subscriptions, event_types=EVENT_TYPES, form=form, error=error
    )
    return page, status


@blp.get("/administration/webhooks")
@signed_in(Role.ADMIN)
def subscriptions():
    return _list_page({"url": "", "description": "", "events": []})


@blp.post("/administration/webhooks")
@signed_in(Role.ADMIN)
@use_case
def add():
    form = {
        "url": request.form.get("url", "").strip(),
        "description": request.form.get("description", "").strip(),
        "events": request.form.getlist("events"),
    }
    problems = NewWebhookSubscriptionSchema().validate(form)
    if problems:
        error = gettext("Enter an http:// or https:// address and tick at least one event.")
        return _list_page(form, error, Unprocessable.status)
    subscription = services.create_subscription(g.user, form["url"], form["events"], form["description"])
    db.session.flush()
    # The secret is shown on this answer only: it is not in any later page.
    return render_template("administration/webhook_created.html", subscription=subscription), 201


@blp.get("/administration/webhooks/<int:subscription_id>")
@signed_in(Role.ADMIN)
def deliveries(subscription_id: int):
    subscription = services.find_subscription(g.user, subscription_id)
    return render_template(
        "administration/webhook_deliveries.html",
        subscription=subscription,
        deliveries=db.session.scalars(services.deliveries_query(subscription).limit(RECENT_DELIVERIES)).all(),
        statuses=DELIVERY_STATUSES,
    )


@blp.post("/administration/webhooks/<int:subscription_id>/delete")
@signed_in(Role.ADMIN)
@use_case
def delete(subscription_id: int):
    services.delete_subscription(g.user, subscription_id)
    return redirect(url_for("webhook_pages.subscriptions", deleted=1))


@blp.post("/administration/webhooks/<int:subscription_id>/deliveries/<int:delivery_id>/resend")
@signed_in(Role.ADMIN)
@use_case
def resend(subscription_id: int, delivery_id: int):
    services.resend_delivery(g.user, subscription_id, delivery_id)
    return redirect(url_for("webhook_pages.deliveries", subscription_id=subscription_id, resent=delivery_id))
