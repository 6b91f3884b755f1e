"""Checks every request passes before any view: text a database can store, and a bounded body."""

from __future__ import annotations

import re
from collections.abc import Iterator

from flask import Flask, current_app, request

from tracker.errors import ApiError, Unprocessable

# PostgreSQL cannot store NUL; a lone UTF-16 surrogate cannot be encoded as UTF-8 by anyone.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_RULE = "must not contain NUL characters or lone surrogates"
MAY_DECODE_UNSTORABLE = re.compile(rb"\\u|\xed[\xa0-\xbf]")
# Paths ending so may send larger bodies (IMPORT_MAX_CONTENT_LENGTH): bulk imports.
IMPORT_PATH_SUFFIX = "/import"
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _unstorable_json(value: object, name: str) -> Iterator[str]:
    """Dotted names of the strings (keys included) in a parsed JSON value holding unstorable text."""
    stack = [(value, name)]
    while stack:
        current, where = stack.pop()
        if isinstance(current, str):
            if UNSTORABLE.search(current):
                yield where or "body"
        elif isinstance(current, dict):
            for key, child in current.items():
                inner = f"{where}.{key}" if where else str(key)
                if UNSTORABLE.search(str(key)):
                    yield inner
                stack.append((child, inner))
        elif isinstance(current, list):
            stack.extend((child, f"{where}.{index}" if where else str(index)) for index, child in enumerate(current))


def _json_body() -> object:
    try:
        return request.get_json(silent=True)
    except RecursionError as error:
        details = {"body": ["nested too deeply"]}
        raise ApiError("JSON lồng nhau quá sâu.", code="bad_request", details=details) from error


def _unstorable_fields() -> Iterator[str]:
    if UNSTORABLE.search(request.path):
        yield "path"
    pairs = [*request.args.items(multi=True), *request.headers.items()]
    if request.mimetype in FORM_TYPES:  # reading the form of any other body would parse it for nothing
        pairs.extend(request.form.items(multi=True))
    yield from (UNSTORABLE.sub("?", key) for key, value in pairs if UNSTORABLE.search(key + value))
    if request.is_json:
        body = _json_body()  # parsed once, here: the view reads the same
        if _may_hold_unstorable(request.get_data()):
            yield from (UNSTORABLE.sub("?", name) for name in _unstorable_json(body, ""))


def _may_hold_unstorable(body: bytes) -> bool:
    """Whether a JSON body could decode to NUL or a lone surrogate: only through a \\u escape, or
    the UTF-8 bytes of a surrogate (which JSON decodes with surrogatepass), or in UTF-16 or
    UTF-32, whose ASCII characters all carry NUL bytes. Most bodies are walked no further."""
    return b"\x00" in body or MAY_DECODE_UNSTORABLE.search(body) is not None


def guard_request() -> None:
    """before_request of the whole app: refuse what no view could store, before any view runs."""
    if request.path.endswith(IMPORT_PATH_SUFFIX):
        request.max_content_length = current_app.config["IMPORT_MAX_CONTENT_LENGTH"]
    bad = sorted(set(_unstorable_fields()))
    if bad:
        raise Unprocessable(
            "Dữ liệu có ký tự không hợp lệ (NUL hoặc nửa cặp UTF-16): bỏ ký tự đó rồi gửi lại.",
            details={name: [UNSTORABLE_RULE] for name in bad},
        )


def init_guards(app: Flask) -> None:
    app.before_request(guard_request)
