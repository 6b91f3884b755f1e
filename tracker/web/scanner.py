"""The words the scanning scripts show, translated on the server and handed to the page."""

from __future__ import annotations

from flask_babel import get_locale, gettext

from tracker.web import DEFAULT_LANGUAGE


def refusal_reasons() -> dict[str, str]:
    """Plain words for the refusals a scan meets most, in the page's language.

    The services explain refusals in Vietnamese, with details (who holds the item); pages
    in Vietnamese show those, pages in another language show these instead.
    """
    return {
        "item_not_found": gettext("No item has this code"),
        "invalid_check_character": gettext("The code's check character is wrong: scan again or type the printed code"),
        "not_an_item_code": gettext("This is a transfer's code, not an item's"),
        "already_in_transfer": gettext("Already in this transfer"),
        "item_not_held": gettext("Your unit does not hold this item"),
        "item_in_another_transfer": gettext("This item is in another transfer: take it out there first"),
        "transfer_empty": gettext("Scan at least one item before dispatching"),
        "transfer_not_found": gettext("No transfer has this code"),
        "several_packets": gettext("Your unit holds several packets of this dossier: choose one"),
        "result_awaited": gettext("This dossier has no result yet: create it, or choose the packet to send"),
    }


def scanner_messages() -> dict:
    localised = {} if get_locale().language == DEFAULT_LANGUAGE else {"errors": refusal_reasons()}
    return localised | {
        "added": gettext("Added"),
        "removed": gettext("Removed"),
        "sending": gettext("Sending…"),
        "waiting": gettext("Saved on this device; it will be sent when the connection is back"),
        "queued": gettext("waiting to be sent"),
        "online": gettext("Connected"),
        "offline": gettext("No connection: scans are kept on this device"),
        "refused": gettext("Refused"),
        "duplicate": gettext("Already recorded"),
        "remove": gettext("Remove"),
        "ticked": gettext("Received"),
        "already_ticked": gettext("Already ticked"),
        "unexpected": gettext("Not on this transfer's list"),
        "unknown_code": gettext("Unknown code: check the label and scan again"),
        "session_expired": gettext("Your session has ended: sign in again, scans are kept"),
        "camera_failed": gettext("The camera could not be opened"),
        "dispatching": gettext("Dispatching…"),
        "confirm_failed": gettext("The receipt was not recorded"),
        "seal_required": gettext("Say whether the seal is intact before confirming"),
        "several_packets": gettext("This dossier has several packets here: scan the packet's own code"),
        "choose": gettext("Choose"),
        "create_result": gettext("Create the result"),
        "result_made": gettext("Result packet made"),
        "print_label": gettext("Print its label"),
    }
