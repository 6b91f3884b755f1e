"""Labels, handover slips and barcodes: documents out, in the one error shape when refused."""

from flask import Response, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from labels.item_labels import LabelSize
from tracker.api.fields import Code
from tracker.api.transactions import use_case
from tracker.auth.services import authenticate_request, current_user
from tracker.printing import services

blp = Blueprint("printing", __name__, url_prefix="/api/v1", description="Nhãn, phiếu bàn giao và mã vạch")
blp.before_request(authenticate_request)

SIZES = [size.value for size in LabelSize]


class LabelSizeArgs(Schema):
    size = fields.String(load_default=LabelSize.THERMAL.value, validate=validate.OneOf(SIZES))


class LabelBatchSchema(LabelSizeArgs):
    item_codes = fields.List(
        Code(validate=validate.Length(min=1, max=64)), required=True, validate=validate.Length(min=1)
    )


def document(body: bytes | str, mimetype: str, filename: str, *, inline: bool = True) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'{disposition}; filename="{filename}"'})


@blp.route("/items/<code>/label.pdf")
class ItemLabelPdf(MethodView):
    @blp.arguments(LabelSizeArgs, location="query")
    @blp.response(200, content_type="application/pdf", description="The item's label as PDF")
    def get(self, args, code):
        """The item's label: ?size=thermal (100 x 150 mm, default) or ?size=a4 (a sheet)."""
        item, pdf = services.item_label_pdf(current_user(), code, LabelSize(args["size"]))
        return document(pdf, "application/pdf", f"nhan-{item.code}.pdf")


@blp.route("/items/<code>/label.zpl")
class ItemLabelZpl(MethodView):
    @blp.response(200, content_type="application/zpl", description="The item's label in ZPL II, 203 dpi")
    def get(self, code):
        """The 100 x 150 mm label in ZPL for a Zebra-type thermal printer."""
        item, zpl = services.item_label_zpl(current_user(), code)
        return document(zpl, "application/zpl", f"nhan-{item.code}.zpl", inline=False)


@blp.route("/labels")
class LabelBatch(MethodView):
    @use_case
    @blp.arguments(LabelBatchSchema)
    @blp.response(200, content_type="application/pdf", description="All the labels in one PDF")
    def post(self, args):
        """Many labels in one PDF, in the order given (at most 500); they count as printed."""
        pdf = services.item_labels_pdf(current_user(), args["item_codes"], LabelSize(args["size"]))
        return document(pdf, "application/pdf", f"nhan-{len(args['item_codes'])}-buu-gui.pdf")


@blp.route("/transfers/<code>/manifest.pdf")
class TransferManifest(MethodView):
    @blp.response(200, content_type="application/pdf", description="The handover slip as PDF")
    def get(self, code):
        """The handover slip (phiếu bàn giao), with the receipt's findings once received."""
        transfer, pdf = services.handover_slip_pdf(current_user(), code)
        return document(pdf, "application/pdf", f"phieu-ban-giao-{transfer.code}.pdf")


@blp.route("/barcodes/<code>.svg")
class BarcodeSvg(MethodView):
    @blp.response(200, content_type="image/svg+xml", description="Code 128 barcode")
    def get(self, code):
        """A code as an SVG barcode with its text, for web pages; the same code, the same image."""
        value, svg = services.barcode_svg(code)
        response = Response(svg, mimetype="image/svg+xml")
        response.headers["Cache-Control"] = "private, max-age=86400"
        response.set_etag(value)
        return response.make_conditional(request)
