"""How many legs a change to one calendar day measures again."""

from datetime import date, datetime, timedelta

from tests.web.test_calendar_admin import VN, leg_across_a_weekend
from tracker.delays.remeasure import legs_measured_on


def test_legs_whose_span_covers_the_day_are_counted(app, as_user):
    leg_across_a_weekend(as_user)
    post = as_user("post1")
    open_leg = post.new_item(post.register_dossier()["code"])
    post.send("TTHCC", [open_leg])  # dispatched now, still in transit
    now = datetime.now(VN)
    with app.app_context():
        assert legs_measured_on(date(2026, 11, 14), now) == 1
        # The transit received that morning, and the item's stay at the centre that began then.
        assert legs_measured_on(date(2026, 11, 16), now) == 2
        assert legs_measured_on(date(2026, 11, 12), now) == 0  # before it was sent
        assert legs_measured_on(now.date(), now) >= 1  # the open leg runs until now
        assert legs_measured_on(now.date() + timedelta(days=3), now) == 0  # nothing has reached it yet
