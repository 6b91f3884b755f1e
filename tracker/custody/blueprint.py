"""Items, transfers and offline scan uploads: HTTP in, one service call, JSON out."""

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from tracker.api.pagination import PageArgs, page_of, paginate
from tracker.api.transactions import use_case
from tracker.auth.services import authenticate_request, current_user
from tracker.custody import packing, receipts, scans, services
from tracker.custody.lookup import find_item, find_transfer
from tracker.custody.models import Transfer
from tracker.custody.schemas import (
    DeliverySchema,
    DeviceStampSchema,
    DispatchSchema,
    ItemSchema,
    ItemWithTimelineSchema,
    NewItemSchema,
    NewTransferSchema,
    PackedItemSchema,
    ReceiptSchema,
    ReceiveSchema,
    ScanBatchResultSchema,
    ScanBatchSchema,
    ScanItemSchema,
    TransferDetailSchema,
    TransferFilterSchema,
    TransferSchema,
)
from tracker.custody.services import Actor
from tracker.delivery import services as delivery
from tracker.delivery.schemas import DeliveredItemSchema
from tracker.delivery.services import Recipient
from tracker.domain.custody import ItemKind
from tracker.domain.journey_end import RecipientKind
from tracker.units.services import find_unit

items_blp = Blueprint("items", __name__, url_prefix="/api/v1", description="Bưu gửi và hành trình của chúng")
transfers_blp = Blueprint("transfers", __name__, url_prefix="/api/v1/transfers", description="Phiếu bàn giao")
scans_blp = Blueprint("scans", __name__, url_prefix="/api/v1/scans", description="Tải lên lượt quét ngoại tuyến")
for blueprint in (items_blp, transfers_blp, scans_blp):
    blueprint.before_request(authenticate_request)


def actor_from(args: dict) -> Actor:
    return Actor.of(current_user(), args.get("occurred_at"), args.get("device_id"))


@items_blp.route("/dossiers/<code>/items")
class DossierItems(MethodView):
    @use_case
    @items_blp.arguments(NewItemSchema)
    @items_blp.response(201, ItemSchema)
    def post(self, args, code):
        """Create a physical item (application, result or returned papers) held by your unit."""
        return services.create_item(actor_from(args), code, ItemKind(args["kind"]), args["postal_id"])


@items_blp.route("/items/<code>")
class ItemDetail(MethodView):
    @items_blp.response(200, ItemWithTimelineSchema)
    def get(self, code):
        """An item by its code or its S10 postal id, with its custody timeline."""
        return find_item(code)


@items_blp.route("/items/<code>/deliver")
class ItemDelivery(MethodView):
    @use_case
    @items_blp.arguments(DeliverySchema)
    @items_blp.response(200, DeliveredItemSchema)
    def post(self, args, code):
        """Record who received the item (with their drawn signature): the end of its journey."""
        recipient = Recipient(RecipientKind(args["recipient_kind"]), args["recipient_name"], args["id_last_digits"])
        return delivery.deliver(actor_from(args), code, recipient, args["signature"], args["note"]).item


@transfers_blp.route("")
class Transfers(MethodView):
    @transfers_blp.arguments(TransferFilterSchema, location="query")
    @transfers_blp.arguments(PageArgs, location="query")
    @transfers_blp.response(200, page_of(TransferSchema))
    def get(self, filters, page):
        """Transfers, newest first, filtered by sending unit, receiving unit and status."""
        statement = select(Transfer).order_by(Transfer.created_at.desc(), Transfer.id.desc())
        if filters["from_unit"]:
            statement = statement.where(Transfer.from_unit_id == find_unit(filters["from_unit"]).id)
        if filters["to_unit"]:
            statement = statement.where(Transfer.to_unit_id == find_unit(filters["to_unit"]).id)
        if filters["status"]:
            statement = statement.where(Transfer.status == filters["status"])
        return paginate(statement, page["page"], page["per_page"])

    @use_case
    @transfers_blp.arguments(NewTransferSchema)
    @transfers_blp.response(201, TransferDetailSchema)
    def post(self, args):
        """Open a draft transfer from your unit to another."""
        return services.open_transfer(actor_from({}), args["to_unit"])


@transfers_blp.route("/<code>")
class TransferDetail(MethodView):
    @transfers_blp.response(200, TransferDetailSchema)
    def get(self, code):
        """A transfer with every item on it and, once received, what happened to each."""
        return find_transfer(code)


@transfers_blp.route("/<code>/items")
class TransferItems(MethodView):
    @use_case
    @transfers_blp.arguments(ScanItemSchema())  # an instance: webargs would build a class anew for each scan
    @transfers_blp.response(201, PackedItemSchema)
    def post(self, args, code):
        """Add a scanned item (its code or S10 postal id) to a draft transfer."""
        return packing.add_item(actor_from(args), code, args["item_code"])


@transfers_blp.route("/<code>/items/<item_code>")
class TransferItemRemoval(MethodView):
    @use_case
    @transfers_blp.response(200, TransferDetailSchema)
    def delete(self, code, item_code):
        """Take an item back out of a draft transfer."""
        return services.remove_item(actor_from({}), code, item_code)


@transfers_blp.route("/<code>/dispatch")
class TransferDispatch(MethodView):
    @use_case
    @transfers_blp.arguments(DispatchSchema)
    @transfers_blp.response(200, TransferDetailSchema)
    def post(self, args, code):
        """Hand the transfer over; its items are in transit until received."""
        return services.dispatch_transfer(actor_from(args), code, args["seal_number"], args["bag_count"])


@transfers_blp.route("/<code>/cancel")
class TransferCancel(MethodView):
    @use_case
    @transfers_blp.arguments(DeviceStampSchema)
    @transfers_blp.response(200, TransferDetailSchema)
    def post(self, args, code):
        """Abandon a draft transfer; its items stay with your unit."""
        return services.cancel_transfer(actor_from(args), code)


@transfers_blp.route("/<code>/receive")
class TransferReceipt(MethodView):
    @use_case
    @transfers_blp.arguments(ReceiveSchema)
    @transfers_blp.response(200, ReceiptSchema)
    def post(self, args, code):
        """Receive a transfer addressed to your unit: what was scanned, damaged, and the seal."""
        return receipts.receive_transfer(
            actor_from(args),
            code,
            scanned=args["scanned"],
            damaged=args["damaged"],
            seal_intact=args["seal_intact"],
            note=args["note"],
        )


@scans_blp.route("/batch")
class ScanBatch(MethodView):
    @use_case
    @scans_blp.arguments(ScanBatchSchema())
    @scans_blp.response(200, ScanBatchResultSchema)
    def post(self, args):
        """Apply an offline scanner's scans in the order they happened; resending changes nothing."""
        entries = [scans.ScanEntry(**entry) for entry in args["scans"]]
        outcomes = scans.apply_batch(current_user(), entries)
        counts = {kind: sum(o.outcome == kind for o in outcomes) for kind in ("applied", "duplicate", "refused")}
        return {
            "results": outcomes,
            "applied": counts["applied"],
            "duplicates": counts["duplicate"],
            "refused": counts["refused"],
        }
