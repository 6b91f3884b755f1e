"""What every page shares: signing in and out, the language, navigation by role, error pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, Flask, g, redirect, render_template, request, session, url_for
from flask_babel import format_timedelta, gettext, lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from tracker.auth.models import User
from tracker.auth.services import check_credentials, end_all_sessions, renew_session, session_user
from tracker.domain.custody import OPERATIONAL_ROLE_UNIT_KIND, Role
from tracker.errors import ApiError, Forbidden, TooManyRequests, Unauthorized
from tracker.extensions import db
from tracker.web import LANGUAGES, names, selected_language

HANDLERS = tuple(OPERATIONAL_ROLE_UNIT_KIND)
PASSWORD_PAGE = "account.change_password"
OVERSEERS = (Role.SUPERVISOR, Role.ADMIN)
EVERYONE = tuple(Role)


def show_refusal(error: ApiError):
    if error.status == 401:
        return redirect(url_for("pages.sign_in", next=request.full_path))
    return render_template("error.html", status=error.status, message=error.message), error.status


def show_csrf_refusal(_error: CSRFError):
    message = gettext("This form has expired or was not sent by this site. Reload the page and try again.")
    return render_template("error.html", status=400, message=message), 400


def show_http_error(error: HTTPException):
    messages = {404: gettext("There is nothing at this address."), 405: gettext("This address does not take that.")}
    message = messages.get(error.code, error.description)
    return render_template("error.html", status=error.code, message=message), error.code


def page_blueprint(name: str, import_name: str, **options) -> Blueprint:
    """A blueprint of pages: its errors are shown as a page, not as the API's JSON."""
    blueprint = Blueprint(name, import_name, template_folder="templates", **options)
    blueprint.register_error_handler(ApiError, show_refusal)
    blueprint.register_error_handler(CSRFError, show_csrf_refusal)
    blueprint.register_error_handler(HTTPException, show_http_error)
    return blueprint


blp = page_blueprint("pages", __name__, static_folder="static", static_url_path="/static/pages")


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: str
    roles: tuple[Role, ...]
    description: str = ""
    covers: tuple[str, ...] = ()  # the pages it leads to, shown as where the user is

    def is_current(self, endpoint: str | None) -> bool:
        return endpoint == self.endpoint or endpoint in self.covers


ADMIN = (Role.ADMIN,)
# The admin's pages, listed on the administration page rather than in the navigation.
ADMINISTRATION = (
    NavEntry("administration.users", lazy_gettext("Accounts"), ADMIN,
             lazy_gettext("Add people, change their role or unit, reset a password, disable an account.")),
    NavEntry("unit_admin.units", lazy_gettext("Units"), ADMIN,
             lazy_gettext("Post offices, the centre and the departments that hand dossiers over.")),
    NavEntry("calendar_admin.month", lazy_gettext("Calendar"), ADMIN,
             lazy_gettext("Public holidays, days off and make-up days: what working hours count.")),
    NavEntry("procedure_admin.catalogue", lazy_gettext("Procedures"), ADMIN,
             lazy_gettext("The procedure catalogue: processing times and the papers each one needs.")),
    NavEntry("imports.upload", lazy_gettext("Import dossiers"), ADMIN,
             lazy_gettext("Dossiers exported from the one-stop system, each row checked before anything is written.")),
    NavEntry("webhook_pages.subscriptions", lazy_gettext("Webhooks"), ADMIN,
             lazy_gettext("Systems told of every handover, and what was sent to them.")),
    NavEntry("administration.audit", lazy_gettext("Audit log"), ADMIN,
             lazy_gettext("Who changed accounts, units, the calendar, route limits and procedures, and when.")),
)  # fmt: skip


# In order of use; a user's first entry is their start page.
NAVIGATION = (
    NavEntry("counter.intake", lazy_gettext("Intake"), (Role.POSTAL_STAFF, Role.CENTRE_CLERK)),
    NavEntry("scanning.start", lazy_gettext("Scan and send"), HANDLERS),
    NavEntry("receiving.inbox", lazy_gettext("Receive"), HANDLERS),
    NavEntry("dashboard.overview", lazy_gettext("Dashboard"), OVERSEERS),
    NavEntry("dossier_pages.search", lazy_gettext("Dossiers"), EVERYONE),
    NavEntry("dashboard.route_limits", lazy_gettext("Route limits"), OVERSEERS),
    NavEntry("administration.home", lazy_gettext("Administration"), ADMIN,
             covers=tuple(entry.endpoint for entry in ADMINISTRATION)),
    NavEntry("mail_settings.edit", lazy_gettext("Notification e-mail"), EVERYONE),
    NavEntry("holdings_pages.overview", lazy_gettext("What we hold"), HANDLERS),
    NavEntry("delivery_pages.start", lazy_gettext("Deliver"), (Role.POSTAL_STAFF, Role.CENTRE_CLERK)),
    NavEntry("imports.upload", lazy_gettext("Import dossiers"), (Role.CENTRE_CLERK,)),
)  # fmt: skip


def navigation_for(user: User | None) -> list[NavEntry]:
    return [entry for entry in NAVIGATION if user is not None and user.user_role in entry.roles]


def signed_in(*roles: Role) -> Callable:
    """A page for signed-in users of these roles; others are sent to sign in, or refused."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = session_user()
            if user is None:
                return redirect(url_for("pages.sign_in", next=request.full_path))
            g.user = user
            if user.must_change_password and request.endpoint != PASSWORD_PAGE:
                return redirect(url_for(PASSWORD_PAGE))
            if user.user_role not in roles:
                raise Forbidden(gettext("This page is not for your role."), code="role_not_allowed")
            return view(*args, **kwargs)

        return wrapper

    return decorate


class SignInForm(FlaskForm):
    username = StringField(lazy_gettext("Username"), validators=[DataRequired()])
    password = PasswordField(lazy_gettext("Password"), validators=[DataRequired()])


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: a sign-in link must not send people elsewhere."""
    if not target or urlsplit(target).netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_of(user: User) -> str:
    return url_for(navigation_for(user)[0].endpoint)


@blp.route("/")
def home():
    user = session_user()
    return redirect(home_of(user) if user else url_for("pages.sign_in"))


@blp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    form = SignInForm()
    error, status, headers = None, 200, {}
    if form.validate_on_submit():
        try:
            user = check_credentials(form.username.data, form.password.data, request.remote_addr)
        except Unauthorized:
            error, status = gettext("Wrong username or password."), 401
        except TooManyRequests as refusal:
            wait = format_timedelta(timedelta(seconds=refusal.retry_after), threshold=1.1, add_direction=False)
            error = gettext("Too many wrong passwords. Wait %(wait)s, then try again.", wait=wait)
            status, headers = 429, refusal.headers()
        else:
            db.session.commit()
            renew_session(user)
            return redirect(_safe_next(request.args.get("next")) or home_of(user))
    return render_template("sign_in.html", form=form, error=error), status, headers


@blp.post("/sign-out")
def sign_out():
    """Ends every session of the user, so a copy of this cookie stops working too."""
    if (user := session_user()) is not None:
        end_all_sessions(user)
        db.session.commit()
    renew_session(None)
    return redirect(url_for("pages.sign_in"))


@blp.route("/favicon.ico")
def favicon():
    return redirect(url_for("pages.static", filename="favicon.svg"), code=301)


@blp.route("/language/<code>")
def choose_language(code: str):
    if code in LANGUAGES:
        session["language"] = code
    return redirect(_safe_next(request.args.get("next")) or url_for("pages.home"))


def register_page_handlers(app: Flask) -> None:
    """What every template may use: the user, the navigation, the languages."""

    @app.context_processor
    def page_context():
        user = g.get("user")
        return {
            "user": user,
            "navigation": navigation_for(user),
            "languages": LANGUAGES,
            "language": selected_language(),
            "names": names,
        }
