"""Applicant phone and address: unmasked only to units with a part in the dossier, every read logged."""

from __future__ import annotations

from sqlalchemy import select

from tracker.auth.models import User
from tracker.extensions import db
from tracker.privacy.models import PersonalDataRead
from tracker.privacy.services import mask_address, mask_phone

PHONE, ADDRESS = "0912 345 678", "Số 5, đường Lê Lợi, phường Hưng Bình, TP Vinh"
MASKED_PHONE, MASKED_ADDRESS = "09******78", "***, TP Vinh"


def reads() -> list[tuple[str, str, str]]:
    rows = db.session.scalars(select(PersonalDataRead).order_by(PersonalDataRead.id)).all()
    logged = [(row.user_id, row.dossier_id, row.channel) for row in rows]
    db.session.rollback()
    return logged


def user_ids() -> dict[str, int]:
    ids = dict(db.session.execute(select(User.username, User.id)).all())
    db.session.rollback()
    return ids


def contact(api, code: str) -> tuple[str, str, bool]:
    dossier = api.ok(api.get(f"/api/v1/dossiers/{code}"))
    return dossier["applicant_phone"], dossier["applicant_address"], dossier["personal_data_masked"]


def test_masks() -> None:
    assert mask_phone(PHONE) == MASKED_PHONE
    assert mask_phone("+84 912 345 678") == "84*******78"
    assert mask_phone("") == ""
    assert mask_address(ADDRESS) == MASKED_ADDRESS
    assert mask_address("TP Vinh") == "***"
    assert mask_address("") == ""


def test_only_units_with_a_part_in_the_dossier_see_phone_and_address(as_user, world):
    post, centre = as_user("post1"), as_user("centre1")
    dossier = post.register_dossier(applicant_phone=PHONE, applicant_address=ADDRESS)  # department STP
    assert (dossier["applicant_phone"], dossier["personal_data_masked"]) == (PHONE, False)
    code = dossier["code"]
    unmasked, masked = (PHONE, ADDRESS, False), (MASKED_PHONE, MASKED_ADDRESS, True)

    assert contact(post, code) == unmasked  # registered it
    assert contact(as_user("dept1"), code) == unmasked  # its department
    assert contact(as_user("super1"), code) == unmasked
    assert contact(as_user("admin1"), code) == unmasked
    assert contact(as_user("post2"), code) == masked  # another post office
    assert contact(as_user("dept2"), code) == masked  # another department
    assert contact(centre, code) == masked  # not yet on its way to the centre

    item = post.new_item(code)
    draft = post.open_transfer("TTHCC")
    post.add(draft, item)
    assert contact(centre, code) == unmasked  # will receive it
    listed = centre.ok(centre.get("/api/v1/dossiers", query_string={"q": code}))["items"][0]
    assert listed["applicant_phone"] == PHONE
    other = as_user("post2").ok(as_user("post2").get("/api/v1/dossiers", query_string={"q": code}))["items"][0]
    assert (other["applicant_phone"], other["applicant_address"]) == (MASKED_PHONE, MASKED_ADDRESS)


def test_every_unmasked_read_is_logged_and_masked_ones_are_not(as_user, world):
    post = as_user("post1")
    code = post.register_dossier(applicant_phone=PHONE, applicant_address=ADDRESS)["code"]
    assert post.ok(post.get(f"/api/v1/dossiers/{code}"))  # one read
    as_user("post2").get(f"/api/v1/dossiers/{code}")  # masked: not a read of personal data
    as_user("dept1").get(f"/api/v1/dossiers/{code}")
    users = user_ids()
    logged = reads()
    assert len({entry[1] for entry in logged}) == 1
    # register's own answer, post1's read, dept1's read; nothing for post2
    assert [(user, channel) for user, _dossier, channel in logged] == [
        (users["post1"], "api"),
        (users["post1"], "api"),
        (users["dept1"], "api"),
    ]
