"""What the counter prints after an intake: the packet's label and the citizen's receipt."""

from __future__ import annotations

from labels.receipt import Receipt, ReceiptPaper, render_intake_papers
from tracker.auth.models import User
from tracker.counter.services import papers_of
from tracker.custody.models import Item
from tracker.domain.custody import EventKind
from tracker.printing.services import item_label, local_text, mark_printed, printable_item


def intake_receipt(item: Item, lookup_url: str) -> Receipt:
    dossier = item.dossier
    registered = next(event for event in item.events if event.kind == EventKind.REGISTERED.value)
    return Receipt(
        tracking_code=dossier.tracking_code,
        dossier_code=dossier.code or "",
        postal_id=item.postal_id or "",
        procedure_code=dossier.procedure_code,
        procedure_name=dossier.procedure_name,
        department=dossier.department.name,
        applicant_name=dossier.applicant_name,
        applicant_phone=dossier.applicant_phone,
        applicant_address=dossier.applicant_address,
        received_at=local_text(dossier.received_at),
        appointment=local_text(dossier.due_at, "%d/%m/%Y"),
        post_office=registered.unit.name,
        postal_worker=registered.actor.full_name,
        lookup_url=lookup_url,
        papers=[ReceiptPaper(p.name, p.originals, p.copies) for p in papers_of(dossier)],
    )


def intake_papers_pdf(user: User, item_code: str, lookup_url: str) -> tuple[Item, bytes]:
    """The label and both copies of the receipt in one PDF; the label counts as printed."""
    item = printable_item(user, item_code)
    pdf = render_intake_papers(item_label(item), intake_receipt(item, lookup_url))
    mark_printed([item])
    return item, pdf
