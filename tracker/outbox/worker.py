"""One pass of the background worker: announce delays, fan events out, send what is due,
compact the reports' closed days and months, keep SQLite's planner statistics.

Every step commits its own small transactions, so several workers can run at once and a
worker stopped between two steps loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from tracker.database import refresh_planner_statistics, utcnow
from tracker.delays.histograms import compact_closed_periods
from tracker.extensions import db
from tracker.notifications.mail import queue_digests, queue_immediate_mail, send_due_mail
from tracker.outbox.delays import announce_delays
from tracker.outbox.models import OutboxEvent
from tracker.webhooks.delivery import send_due_deliveries
from tracker.webhooks.services import add_deliveries

FAN_OUT_BATCH = 200


@dataclass(frozen=True)
class PassSummary:
    delays_announced: int
    events_fanned_out: int
    webhook_attempts: int
    mail_sent: int
    periods_compacted: int

    def __str__(self) -> str:
        return (
            f"{self.delays_announced} delays announced, {self.events_fanned_out} events fanned out, "
            f"{self.webhook_attempts} webhook attempts, {self.mail_sent} mails sent, "
            f"{self.periods_compacted} report periods compacted"
        )

    @property
    def busy(self) -> bool:
        return any(
            (self.delays_announced, self.events_fanned_out, self.webhook_attempts, self.mail_sent,
             self.periods_compacted)
        )  # fmt: skip


def fan_out(now: datetime) -> int:
    """Turn recorded events into webhook deliveries and immediate mail, oldest first; how many."""
    total = 0
    while True:
        # A plain row lock, not SKIP LOCKED: a second worker waits, so events keep their order.
        statement = (
            select(OutboxEvent)
            .where(OutboxEvent.fanned_out_at.is_(None))
            .order_by(OutboxEvent.id)
            .limit(FAN_OUT_BATCH)
            .with_for_update()
        )
        events = list(db.session.scalars(statement))
        if not events:
            db.session.commit()
            return total
        add_deliveries(events, now)
        queue_immediate_mail(events, now)
        for event in events:
            event.fanned_out_at = now
        db.session.commit()
        total += len(events)


def run_pass(now: datetime | None = None) -> PassSummary:
    """Everything due at now (default: the clock), drained."""
    now = now or utcnow()
    refresh_planner_statistics(db.session)
    db.session.commit()
    delays_announced = announce_delays(now)
    events_fanned_out = fan_out(now)
    webhook_attempts = send_due_deliveries(now)
    queue_digests(now)
    mail_sent = send_due_mail(now)
    periods_compacted = compact_closed_periods(now)
    return PassSummary(delays_announced, events_fanned_out, webhook_attempts, mail_sent, periods_compacted)
