"""Every model, imported in one place so that Alembic sees the whole schema."""

from tracker.api.models import IdempotencyRecord
from tracker.audit.models import AuditEntry
from tracker.auth.models import ApiToken, SignInFailure, User
from tracker.calendar.models import CalendarException
from tracker.counter.models import DossierPaper
from tracker.custody.models import CustodyEvent, Item, Leg, Transfer, TransferItem
from tracker.delays.models import SlaRule, SlaRuleChange
from tracker.delivery.models import DeliveryRecord
from tracker.dossiers.models import Dossier
from tracker.lookup.models import LookupAttempt
from tracker.notifications.models import MailSubscription, OutgoingMail
from tracker.outbox.models import DelayAnnouncement, OutboxEvent
from tracker.outcomes.models import DossierReturn
from tracker.privacy.models import PersonalDataRead
from tracker.units.models import Unit
from tracker.webhooks.models import WebhookDelivery, WebhookSubscription

__all__ = [
    "ApiToken",
    "AuditEntry",
    "CalendarException",
    "CustodyEvent",
    "DelayAnnouncement",
    "DeliveryRecord",
    "Dossier",
    "DossierPaper",
    "DossierReturn",
    "IdempotencyRecord",
    "Item",
    "Leg",
    "LookupAttempt",
    "MailSubscription",
    "OutboxEvent",
    "OutgoingMail",
    "PersonalDataRead",
    "SignInFailure",
    "SlaRule",
    "SlaRuleChange",
    "Transfer",
    "TransferItem",
    "Unit",
    "User",
    "WebhookDelivery",
    "WebhookSubscription",
]
