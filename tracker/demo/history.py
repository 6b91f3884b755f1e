"""Eight weeks of custody history in the demo province, built through the services.

The history is simulated day by day: post offices pick dossiers up and send them to the
centre each afternoon, the centre forwards them to departments, departments return results,
and the post office delivers them. Some legs are slow, some items go missing or arrive
damaged, and the most recent transfers are still on the road.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from tracker.auth.models import User
from tracker.auth.services import create_user
from tracker.custody import packing, receipts
from tracker.custody import services as custody
from tracker.custody.models import Item, Transfer
from tracker.custody.services import Actor
from tracker.delivery import services as delivery
from tracker.demo.province import (
    DEMO_PASSWORD,
    DEMO_UNITS,
    DEMO_USERS,
    DISPATCH_SLOTS,
    FAMILY_NAMES,
    GIVEN_NAMES,
    MIDDLE_NAMES,
    PICKUP_HOURS,
    POST_AREAS,
    PROCEDURES,
    RECEIVE_SLOTS,
    STREETS,
)
from tracker.domain.custody import ItemKind, ItemStatus, Role, TransferStatus, UnitKind
from tracker.domain.journey_end import FOR_THE_APPLICANT
from tracker.dossiers.services import DossierDetails, register_dossier
from tracker.extensions import db
from tracker.outcomes.services import return_dossier
from tracker.procedures.services import ProcedureDetails, save_procedure
from tracker.units.models import Unit
from tracker.units.services import create_unit


def database_is_empty() -> bool:
    return db.session.scalar(select(func.count()).select_from(Unit)) == 0


class Province:
    """The simulated province: its units, a handler per unit, and what is ready to move when."""

    def __init__(self, rng: random.Random, zone: ZoneInfo):
        self.rng = rng
        self.zone = zone
        self.units: dict[str, Unit] = {}
        self.handlers: dict[str, User] = {}
        self.ready_at: dict[int, datetime] = {}  # item id -> when it may move on
        self.origin_post: dict[int, str] = {}  # dossier id -> post office that picked it up
        self.arrivals: list[tuple[datetime, str, str]] = []  # (when, transfer code, receiving unit)
        self.dossier_number = 0

    def build_units_and_users(self) -> None:
        for code, name, kind in DEMO_UNITS:
            self.units[code] = create_unit(code, name, kind)
        db.session.flush()
        for username, full_name, role, unit in DEMO_USERS:
            user = create_user(username, full_name, DEMO_PASSWORD, role, self.units[unit])
            if role in (Role.POSTAL_STAFF, Role.CENTRE_CLERK, Role.DEPARTMENT_CLERK):
                self.handlers.setdefault(unit, user)
        db.session.flush()
        for p in PROCEDURES:
            save_procedure(ProcedureDetails(p.code, p.name, p.department, p.working_days, list(p.papers)))

    def at(self, day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=self.zone)

    def actor(self, unit: str, when: datetime) -> Actor:
        return Actor(user=self.handlers[unit], occurred_at=when)

    def pick_up(self, post: str, when: datetime) -> None:
        """A citizen hands a dossier to the post office."""
        procedure = self.rng.choices(PROCEDURES, weights=[p.weight for p in PROCEDURES])[0]
        self.dossier_number += 1
        name = f"{self.rng.choice(FAMILY_NAMES)} {self.rng.choice(MIDDLE_NAMES)} {self.rng.choice(GIVEN_NAMES)}"
        street = self.rng.choice(STREETS)
        dossier = register_dossier(
            self.handlers[post],
            DossierDetails(
                code=f"000.00.18.H40-{when:%y%m%d}-{self.dossier_number:04d}",
                procedure_code=procedure.code,
                procedure_name=procedure.name,
                applicant_name=name,
                applicant_phone=f"09{self.rng.randint(10_000_000, 99_999_999)}",
                applicant_address=f"Số {self.rng.randint(1, 200)}, đường {street}, {POST_AREAS[post]}",
                department=procedure.department,
                received_at=when,
                due_at=when + timedelta(days=procedure.working_days * 7 // 5 + 1),
            ),
        )
        self.origin_post[dossier.id] = post
        item = custody.create_item(self.actor(post, when), dossier.reference, ItemKind.APPLICATION)
        self.ready_at[item.id] = when

    def next_stop(self, item: Item, holder: str) -> str | None:
        """Where a held item goes next, or None if it stays (processing, or delivery)."""
        kind = self.units[holder].unit_kind
        if item.kind == ItemKind.APPLICATION.value:
            return {UnitKind.POST: "TTHCC", UnitKind.CENTRE: item.dossier.department.code}.get(kind)
        return {UnitKind.DEPARTMENT: "TTHCC", UnitKind.CENTRE: self.origin_post[item.dossier_id]}.get(kind)

    def dispatch_ready(self, when: datetime) -> None:
        """Every unit packs what is ready into one transfer per destination and hands it over."""
        held = db.session.scalars(
            select(Item).where(Item.status == ItemStatus.HELD.value, Item.holder_unit_id.is_not(None))
        ).all()
        batches: dict[tuple[str, str], list[Item]] = defaultdict(list)
        for item in held:
            if self.ready_at.get(item.id, when) > when:
                continue
            destination = self.next_stop(item, item.holder.code)
            if destination:
                batches[(item.holder.code, destination)].append(item)
        for (sender, destination), items in batches.items():
            self.send(sender, destination, items, when)

    def send(self, sender: str, destination: str, items: list[Item], when: datetime) -> None:
        actor = self.actor(sender, when)
        transfer = custody.open_transfer(actor, destination)
        for item in items:
            packing.add_item(actor, transfer.code, item.code)
        seal = f"NP-{self.rng.randint(100000, 999999)}" if self.units[sender].unit_kind == UnitKind.POST else None
        custody.dispatch_transfer(actor, transfer.code, seal)
        self.arrivals.append((when + self.transit_time(), transfer.code, destination))

    def transit_time(self) -> timedelta:
        roll = self.rng.random()
        if roll < 0.08:  # a slow leg: forgotten in a van or a cupboard
            return timedelta(hours=self.rng.randint(30, 110))
        return timedelta(hours=self.rng.uniform(1.5, 20))

    def receive_arrived(self, when: datetime) -> None:
        arrived = [a for a in self.arrivals if a[0] <= when]
        self.arrivals = [a for a in self.arrivals if a[0] > when]
        for _, code, receiver in arrived:
            self.receive(code, receiver, when)

    def receive(self, code: str, receiver: str, when: datetime) -> None:
        actor = self.actor(receiver, when)
        transfer = receipts.open_receipt(actor, code)
        for line in list(transfer.lines):
            roll = self.rng.random()
            if roll < 0.015:
                continue  # it did not arrive
            receipts.record_arrival(actor, transfer, line.item.code, damaged=roll > 0.99)
            self.ready_at[line.item.id] = self.ready_after_receipt(line.item, receiver, when)
        seal_intact = self.rng.random() > 0.02
        note = None if seal_intact else "Niêm phong rách"
        receipts.close_receipt(actor, transfer, seal_intact=seal_intact, note=note)

    def ready_after_receipt(self, item: Item, receiver: str, when: datetime) -> datetime:
        if self.units[receiver].unit_kind == UnitKind.DEPARTMENT and item.kind == ItemKind.APPLICATION.value:
            procedure = next(p for p in PROCEDURES if p.code == item.dossier.procedure_code)
            days = procedure.working_days * self.rng.uniform(0.6, 1.5)
            return when + timedelta(days=days * 7 / 5)
        return when + timedelta(hours=self.rng.uniform(0, 6))

    def issue_results(self, when: datetime) -> None:
        """Departments turn processed applications into results for the applicant."""
        applications = db.session.scalars(
            select(Item).where(Item.status == ItemStatus.HELD.value, Item.kind == ItemKind.APPLICATION.value)
        ).all()
        for application in applications:
            holder = application.holder
            if holder.unit_kind != UnitKind.DEPARTMENT or self.ready_at.get(application.id, when) > when:
                continue
            if not application.dossier.awaits_result:
                continue
            actor, reference = self.actor(holder.code, when), application.dossier.reference
            if self.rng.random() < 0.04:  # returned unprocessed, now and then withdrawn by the citizen
                withdrawn = self.rng.random() < 0.3
                reason = "citizen_withdrew" if withdrawn else self.rng.choice(["missing_papers", "not_eligible"])
                made = return_dossier(actor, reference, reason_code=reason, reason_text_given=None, withdrawn=withdrawn)
                self.ready_at[made.item_id] = when
                continue
            result = custody.create_item(actor, reference, ItemKind.RESULT)
            self.ready_at[result.id] = when

    def deliver_results(self, when: datetime) -> None:
        results = db.session.scalars(
            select(Item).where(Item.status == ItemStatus.HELD.value, Item.kind.in_(FOR_THE_APPLICANT))
        ).all()
        for result in results:
            post = result.holder.code
            if result.holder.unit_kind == UnitKind.POST and self.ready_at.get(result.id, when) <= when:
                if self.rng.random() < 0.1:  # nobody at home: the postman comes back the next day
                    delivery.record_failed_attempt(self.actor(post, when), result.code, "not_home", None)
                    self.ready_at[result.id] = when + timedelta(days=1)
                    continue
                recipient = delivery.Recipient()
                delivery.deliver(self.actor(post, when), result.code, recipient, None, note="Trả tận nhà")


def working_days(start: date, end: date) -> list[date]:
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    return [d for d in days if d.weekday() < 5]


def seed_demo(*, dossiers: int, weeks: int, seed: int, progress: Callable[[str], None] = print) -> str:
    """Build the demo province and its history; the caller commits. A one-line summary."""
    zone = ZoneInfo(current_app.config["TRACKER_TIMEZONE"])
    province = Province(random.Random(seed), zone)
    province.build_units_and_users()
    today = datetime.now(zone)
    days = working_days(today.date() - timedelta(weeks=weeks), today.date())
    posts = [code for code, _, kind in DEMO_UNITS if kind == UnitKind.POST]
    per_day = dossiers / len(days)
    picked = 0
    for number, day in enumerate(days, start=1):
        todays = min(dossiers - picked, round(per_day * number) - picked)
        for _ in range(todays):
            hour = province.rng.uniform(*PICKUP_HOURS)
            when = province.at(day, time(int(hour), int(hour % 1 * 60)))
            when = min(when, today - timedelta(minutes=province.rng.randint(5, 90)))
            province.pick_up(province.rng.choice(posts), when)
            picked += 1
        for clock in sorted(RECEIVE_SLOTS + DISPATCH_SLOTS):
            when = province.at(day, clock)
            if when > today:
                break
            if clock in RECEIVE_SLOTS:
                province.receive_arrived(when)
                province.issue_results(when)
                province.deliver_results(when)
            else:
                province.dispatch_ready(when)
        db.session.flush()
        if number % 5 == 0:
            progress(f"  {day:%d/%m/%Y}: {picked} hồ sơ")
    in_transit = db.session.scalar(
        select(func.count()).select_from(Transfer).where(Transfer.status == TransferStatus.DISPATCHED.value)
    )
    return f"Demo: {len(DEMO_UNITS)} đơn vị, {picked} hồ sơ, {in_transit} phiếu bàn giao đang trên đường."
