"""The pages: server-rendered Jinja with a little plain JavaScript, Vietnamese first.

The pages sign in with a session cookie and, for what happens without a reload (scans,
receipts), call the same JSON API as the scanners, with the page's CSRF token.
"""

from __future__ import annotations

from flask import Flask, Request, current_app, g, has_request_context, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import refresh

from tracker.extensions import babel, csrf

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"


def selected_language() -> str:
    if not has_request_context():  # a command line: messages in the default language
        return DEFAULT_LANGUAGE
    language = session.get("language")
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, without building the signer for a request that sends no
    session cookie (every scanner's call, with its bearer token): it can only be a new session."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def start_request_afresh() -> None:
    """An app context may outlive one request (the tests keep one open): each request picks
    its own language, its own signed-in user and its own session's CSRF token."""
    refresh()
    for name in ("user", current_app.config["WTF_CSRF_FIELD_NAME"]):
        g.pop(name, None)


def init_web(app: Flask) -> None:
    from tracker.pages.account import views as account
    from tracker.pages.administration import calendar as calendar_admin
    from tracker.pages.administration import procedures as procedure_admin
    from tracker.pages.administration import units as unit_admin
    from tracker.pages.administration import views as administration
    from tracker.pages.administration import webhooks as webhook_pages
    from tracker.pages.counter import views as counter
    from tracker.pages.delivery import views as delivery
    from tracker.pages.dossiers import views as dossiers
    from tracker.pages.holdings import views as holdings
    from tracker.pages.imports import views as imports
    from tracker.pages.lookup import views as lookup
    from tracker.pages.notifications import views as mail_settings
    from tracker.pages.outcomes import views as outcomes
    from tracker.pages.receiving import views as receiving
    from tracker.pages.station import views as station
    from tracker.pages.supervision import views as supervision
    from tracker.web import shell

    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", app.config["TRACKER_TIMEZONE"])
    babel.init_app(app, locale_selector=selected_language, default_locale=DEFAULT_LANGUAGE)
    csrf.init_app(app)
    app.session_interface = CookieSessions()
    app.before_request(start_request_afresh)
    for module in (
        shell, station, receiving, dossiers, supervision, administration, unit_admin, account, webhook_pages,
        mail_settings, counter, lookup, procedure_admin, outcomes, delivery, holdings, imports,
        calendar_admin,
    ):  # fmt: skip
        app.register_blueprint(module.blp)
    shell.register_page_handlers(app)
