"""Delivery to the applicant: who received it, the drawn signature, failed attempts and the flag after N."""

import base64
import subprocess

import pytest
from sqlalchemy import func, select

from tests.journey_end import result_at_post, signature_data_url
from tests.outcomes.test_results_and_returns import refused
from tests.pdf_tools import pdf_text
from tests.support import statements_starting
from tracker.custody.models import CustodyEvent, Leg
from tracker.delivery.models import DeliveryRecord
from tracker.extensions import db


def test_an_authorised_person_receives_the_result_and_signs(as_user):
    dossier, result = result_at_post(as_user)
    post = as_user("post1")
    body = {
        "recipient_kind": "authorised",
        "recipient_name": "Trần Văn Bình",
        "id_last_digits": "6789",
        "signature": signature_data_url(),
        "note": "Giao tại nhà",
    }
    with statements_starting("SELECT") as reads:
        delivered = post.ok(post.post(f"/api/v1/items/{result}/deliver", body))
    assert delivered["status"] == "delivered" and delivered["holder"] is None
    packet_reads = [r for r in reads if "FROM items" in r and "items.code =" in r]
    assert len(packet_reads) == 1, "the packet is found and locked once"
    event_reads = [r for r in reads if "FROM custody_events" in r and "custody_events.kind =" in r]
    assert not event_reads, "nor its event read back"
    assert delivered["delivery"]["recipient_name"] == "Trần Văn Bình" and delivered["delivery"]["signed"] is True
    assert delivered["delivery"]["unit"] == "BC-VINH"
    assert post.ok(post.get(f"/api/v1/dossiers/{dossier}"))["status"] == "delivered"
    journey = db.session.scalar(select(Leg).where(Leg.kind == "journey"))
    assert journey.outcome == "delivered"
    # The stored image is the PNG that was drawn, referenced from the delivered event.
    record = db.session.scalar(select(DeliveryRecord))
    assert record.event.kind == "delivered" and record.event.item_id == record.item_id
    assert record.signature_png == base64.b64decode(body["signature"].split(",", 1)[1])


def test_the_applicant_is_the_default_recipient_and_the_contracts_body_still_works(as_user):
    _, result = result_at_post(as_user)
    post = as_user("post1")
    delivered = post.ok(post.post(f"/api/v1/items/{result}/deliver", {"note": "Trả tận tay"}))
    assert delivered["delivery"]["recipient_kind"] == "applicant"
    assert delivered["delivery"]["recipient_name"] == "Nguyễn Thị Ngọc Ánh"
    assert delivered["delivery"]["signed"] is False


def test_refused_deliveries_write_nothing(as_user):
    _, result = result_at_post(as_user)
    post = as_user("post1")
    deliver = f"/api/v1/items/{result}/deliver"
    refused(post.post(deliver, {"recipient_kind": "authorised"}), 422, "authorised_recipient_incomplete")
    refused(post.post(deliver, {"signature": "data:image/jpeg;base64,AAAA"}), 422, "invalid_signature")
    refused(post.post(deliver, {"signature": "data:image/png;base64,bm90IGEgcG5n"}), 422, "invalid_signature")
    huge = "data:image/png;base64," + "A" * 400_000
    refused(post.post(deliver, {"signature": huge}), 413, "signature_too_large")
    refused(post.post(deliver, {"id_last_digits": "12ab"}), 422, "validation_error")
    assert post.item(result)["status"] == "held"
    assert db.session.scalar(select(func.count()).select_from(DeliveryRecord)) == 0


@pytest.mark.parametrize(
    ("username", "status", "code"),
    [
        ("post2", 409, "item_not_deliverable"),  # another post office: it does not hold the packet
        ("centre1", 409, "item_not_deliverable"),
        ("dept1", 403, "role_not_allowed"),
        ("super1", 403, "role_not_allowed"),
        ("admin1", 403, "role_not_allowed"),
    ],
)
def test_only_the_unit_holding_the_packet_delivers_it(as_user, username, status, code):
    _, result = result_at_post(as_user)
    user = as_user(username)
    refused(user.post(f"/api/v1/items/{result}/deliver", {}), status, code)
    refused(user.post(f"/api/v1/items/{result}/delivery-attempts", {"reason_code": "not_home"}), status, code)


def test_the_centre_hands_a_result_over_at_its_counter(as_user, post):
    dossier = post.register_dossier()["code"]
    dept, centre = as_user("dept1"), as_user("centre1")
    result = dept.ok(dept.post(f"/api/v1/dossiers/{dossier}/result"), 201)["code"]
    centre.receive(dept.send("TTHCC", [result]), [result])
    assert centre.ok(centre.post(f"/api/v1/items/{result}/deliver", {}))["status"] == "delivered"


def test_application_papers_are_not_handed_to_the_applicant(post, item):
    refused(post.post(f"/api/v1/items/{item}/deliver", {}), 409, "not_for_the_applicant")


def test_failed_attempts_keep_the_packet_and_flag_it_after_the_limit(app, as_user):
    app.config["DELIVERY_MAX_ATTEMPTS"] = 2
    dossier, result = result_at_post(as_user)
    post = as_user("post1")
    attempts = f"/api/v1/items/{result}/delivery-attempts"
    first = post.ok(post.post(attempts, {"reason_code": "not_home"}), 201)
    assert first["failed_attempts"] == 1 and first["flagged_for_return"] is False
    assert first["attempt"]["reason"] == "Không có nhà" and first["item"]["status"] == "held"
    refused(post.post(attempts, {"reason_code": "other"}), 422, "reason_text_required")
    second = post.ok(post.post(attempts, {"reason_code": "other", "reason_text": "Chó dữ"}), 201)
    assert second["failed_attempts"] == 2 and second["flagged_for_return"] is True
    assert second["attempt"]["reason"] == "Lý do khác: Chó dữ"
    # Failed attempts do not end the journey; the events carry unit, item and reason.
    assert post.ok(post.get(f"/api/v1/dossiers/{dossier}"))["status"] == "open"
    assert db.session.scalar(select(Leg.ended_at).where(Leg.kind == "journey")) is None
    events = db.session.scalars(select(CustodyEvent).where(CustodyEvent.kind == "delivery_failed")).all()
    assert [(e.unit.code, e.note) for e in events] == [("BC-VINH", "Không có nhà"), ("BC-VINH", "Lý do khác: Chó dữ")]
    flagged = post.ok(post.get("/api/v1/holdings", query_string={"status": "flagged"}))["items"]
    assert [h["item"] for h in flagged] == [result]
    # Back at the centre, the count starts again for whoever holds it next.
    as_user("centre1").receive(post.send("TTHCC", [result]), [result])
    assert as_user("centre1").ok(as_user("centre1").get("/api/v1/holdings"))["items"][0]["failed_attempts"] == 0


def test_the_delivery_note_carries_the_recipient_and_the_signature(as_user, tmp_path):
    _, result = result_at_post(as_user)
    post = as_user("post1")
    body = {"recipient_kind": "authorised", "recipient_name": "Lê Thị Hương", "id_last_digits": "4321"}
    post.ok(post.post(f"/api/v1/items/{result}/deliver", {**body, "signature": signature_data_url()}))
    response = post.get(f"/api/v1/items/{result}/delivery-note.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert "PHIẾU GIAO KẾT QUẢ" in text and "Lê Thị Hương" in text and "Người được uỷ quyền" in text
    assert "…4321" in text and result in text
    assert images_in(response.data, tmp_path) == 1
    assert as_user("super1").get(f"/api/v1/items/{result}/delivery-note.pdf").status_code == 200
    refused(as_user("post2").get(f"/api/v1/items/{result}/delivery-note.pdf"), 403, "outside_own_unit")


def images_in(pdf: bytes, folder) -> int:
    """How many raster images pdfimages finds in the document."""
    source = folder / "note.pdf"
    source.write_bytes(pdf)
    listing = subprocess.run(["pdfimages", "-list", str(source)], capture_output=True, text=True, check=True).stdout
    return sum(1 for line in listing.splitlines()[2:] if line.split() and line.split()[2] == "image")
