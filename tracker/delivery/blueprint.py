"""Failed delivery attempts and the delivery note over HTTP (delivery itself: POST /items/<code>/deliver)."""

from flask.views import MethodView
from flask_smorest import Blueprint

from tracker.api.transactions import use_case
from tracker.auth.services import authenticate_request, current_user
from tracker.custody.blueprint import actor_from
from tracker.delivery import services
from tracker.delivery.notes import delivery_note_pdf
from tracker.delivery.schemas import DeliveryAttemptSchema, FailedAttemptSchema
from tracker.printing.blueprint import document

blp = Blueprint("delivery", __name__, url_prefix="/api/v1", description="Giao kết quả cho người nhận")
blp.before_request(authenticate_request)


@blp.route("/items/<code>/delivery-attempts")
class DeliveryAttempts(MethodView):
    @use_case
    @blp.arguments(DeliveryAttemptSchema)
    @blp.response(201, FailedAttemptSchema)
    def post(self, args, code):
        """Record a failed delivery with its reason; the packet stays with your unit (flagged after N)."""
        return services.record_failed_attempt(actor_from(args), code, args["reason_code"], args["reason_text"])


@blp.route("/items/<code>/delivery-note.pdf")
class DeliveryNotePdf(MethodView):
    @blp.response(200, content_type="application/pdf", description="The delivery note with the signature")
    def get(self, code):
        """The delivery note (phiếu giao kết quả) of a delivered packet, with the recipient's signature."""
        item, pdf = delivery_note_pdf(current_user(), code)
        return document(pdf, "application/pdf", f"phieu-giao-{item.code}.pdf")
