"""The one error shape of the API and the exceptions that services raise to produce it."""

from __future__ import annotations

from typing import Any

import psycopg
import sqlalchemy.exc
from flask import Flask, jsonify
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class ApiError(Exception):
    """A refusal that a client can act on; services raise it, the API turns it into JSON."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or {}

    def headers(self) -> dict[str, str]:
        return {}

    def to_dict(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class Unauthorized(ApiError):
    status = 401
    code = "unauthorized"


class Forbidden(ApiError):
    status = 403
    code = "forbidden"


class NotFound(ApiError):
    status = 404
    code = "not_found"


class Conflict(ApiError):
    status = 409
    code = "conflict"


class PayloadTooLarge(ApiError):
    status = 413
    code = "payload_too_large"


class Unprocessable(ApiError):
    status = 422
    code = "validation_error"


class TooManyRequests(ApiError):
    """Refused for now; the client may try again after retry_after seconds."""

    status = 429
    code = "too_many_requests"

    def __init__(self, message: str, *, retry_after: int, code: str | None = None):
        super().__init__(message, code=code, details={"retry_after": retry_after})
        self.retry_after = retry_after

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


# Messages for errors raised by Flask/webargs rather than by our services.
HTTP_MESSAGES = {
    400: ("bad_request", "Yêu cầu không đọc được: gửi JSON hợp lệ với Content-Type: application/json."),
    401: ("unauthorized", "Cần đăng nhập: gửi Authorization: Bearer <token>."),
    403: ("forbidden", "Bạn không có quyền thực hiện thao tác này."),
    404: ("not_found", "Không tìm thấy địa chỉ này."),
    405: ("method_not_allowed", "Phương thức HTTP này không được hỗ trợ ở địa chỉ này."),
    413: ("payload_too_large", "Dữ liệu gửi lên quá lớn."),
    415: ("unsupported_media_type", "Gửi dữ liệu dạng JSON (Content-Type: application/json)."),
    422: ("validation_error", "Dữ liệu không hợp lệ: xem từng trường trong details."),
    500: ("internal_error", "Lỗi máy chủ: thao tác chưa được ghi nhận, hãy thử lại; nếu lặp lại, báo quản trị."),
    503: ("database_unavailable", "Cơ sở dữ liệu tạm thời không truy cập được: thao tác chưa được ghi nhận, thử lại."),
}

# The database is down, restarting, unreachable or out of connections: the client should retry.
DATABASE_UNAVAILABLE = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.DisconnectionError,
    sqlalchemy.exc.TimeoutError,
    psycopg.OperationalError,
)
RETRY_AFTER_SECONDS = 5


def error_response(status: int, code: str, message: str, details: dict | None = None):
    response = jsonify({"error": {"code": code, "message": message, "details": details or {}}})
    response.status_code = status
    return response


def _flatten_validation_messages(messages: dict) -> dict:
    """webargs nests messages by location ({"json": {...}}); clients want them by field."""
    flat: dict = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            flat.update(fields)
        else:
            flat[location] = fields
    return flat


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    code, message = HTTP_MESSAGES.get(status, ("http_error", error.description or error.name))
    data = getattr(error, "data", None) or {}
    details = {}
    if "messages" in data:
        details = _flatten_validation_messages(data["messages"])
    if "message" in data:
        message = data["message"]
    response = error_response(status, code, message, details)
    # e.g. Allow on a 405, as RFC 9110 requires
    response.headers.extend((name, value) for name, value in error.get_headers() if name != "Content-Type")
    return response


def handle_csrf_error(_error: CSRFError):
    return error_response(
        400, "csrf_failed", "Thiếu hoặc sai mã chống giả mạo (CSRF) của trang: tải lại trang rồi thử lại."
    )


def handle_api_error(error: ApiError):
    response = error_response(error.status, error.code, error.message, error.details)
    response.headers.update(error.headers())
    return response


def handle_unexpected_error(error: Exception):
    from flask import current_app

    current_app.logger.exception("unhandled error", exc_info=error)
    code, message = HTTP_MESSAGES[500]
    return error_response(500, code, message)


def handle_database_unavailable(error: Exception):
    from flask import current_app

    current_app.logger.warning("database unavailable: %s", error)
    code, message = HTTP_MESSAGES[503]
    response = error_response(503, code, message)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ApiError, handle_api_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    for database_error in DATABASE_UNAVAILABLE:
        app.register_error_handler(database_error, handle_database_unavailable)
    app.register_error_handler(Exception, handle_unexpected_error)
