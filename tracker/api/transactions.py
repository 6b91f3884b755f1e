"""One transaction per use case, committed in one place: here."""

from __future__ import annotations

from functools import wraps

from flask import Response, g, request

from tracker.api.idempotency import IdempotencyKey, fingerprint, previous_answer, remember_answer
from tracker.extensions import db

IDEMPOTENCY_HEADER = "Idempotency-Key"


def use_case(view):
    """Run a mutating view as one transaction and commit it once the answer is built.

    The client hears of success only after the commit. With an Idempotency-Key header,
    a repeat of a successful request by the same user to the same endpoint replays the
    first answer and writes nothing.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get(IDEMPOTENCY_HEADER)
        key = IdempotencyKey(g.user.id, f"{request.method} {request.url_rule.rule}", header) if header else None
        if key:
            request_fingerprint = fingerprint(request.method, request.path, request.get_data())
            record = previous_answer(key, request_fingerprint)
            if record is not None:
                db.session.rollback()
                return Response(
                    record.body,
                    status=record.status_code,
                    mimetype="application/json",
                    headers={"Idempotent-Replayed": "true"},
                )
        response = view(*args, **kwargs)
        if key and response.status_code < 300:
            remember_answer(key, request_fingerprint, response.status_code, response.get_data(as_text=True))
        # The answer is built and the session ends with the request: nothing is read again, so
        # the commit need not mark every loaded row stale first.
        db.session().expire_on_commit = False  # this request's session, not the registry
        db.session.commit()
        return response

    return wrapper
