"""Every model, imported in one place so that Alembic sees the whole schema."""

from tracker.api.models import IdempotencyRecord
from tracker.auth.models import ApiToken, User
from tracker.calendar.models import CalendarException
from tracker.custody.models import CustodyEvent, Item, Leg, Transfer, TransferItem
from tracker.delays.models import SlaRule, SlaRuleChange
from tracker.delivery.models import DeliveryRecord
from tracker.dossiers.models import Dossier
from tracker.outcomes.models import DossierReturn
from tracker.units.models import Unit

__all__ = [
    "ApiToken",
    "CalendarException",
    "CustodyEvent",
    "DeliveryRecord",
    "Dossier",
    "DossierReturn",
    "IdempotencyRecord",
    "Item",
    "Leg",
    "SlaRule",
    "SlaRuleChange",
    "Transfer",
    "TransferItem",
    "Unit",
    "User",
]
