"""The account forms of the admin's pages; the rules themselves are checked by the services."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp

from tracker.errors import ApiError
from tracker.units.services import all_units
from tracker.web import names


class AccountForm(FlaskForm):
    """Name, role and unit: what an admin sets when adding or editing an account."""

    full_name = StringField(lazy_gettext("Full name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(lazy_gettext("Role"), validators=[DataRequired()])
    unit = SelectField(lazy_gettext("Unit"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [SelectChoice(code, str(label)) for code, label in names.ROLES.items()]
        active_units = [unit for unit in all_units() if unit.active]
        self.unit.choices = [SelectChoice(unit.code, f"{unit.code} · {unit.name}") for unit in active_units]

    def show_refusal(self, error: ApiError) -> None:
        """Put a service's refusal next to the field it names, or on the form as a whole."""
        fields = [name for name in error.details if name in self._fields] or ["form"]
        target = self._fields.get(fields[0])
        if target is not None:
            target.errors = [*target.errors, error.message]
        else:
            self.form_errors.append(error.message)


class NewAccountForm(AccountForm):
    username = StringField(
        lazy_gettext("Username"),
        validators=[
            DataRequired(),
            Regexp(
                r"^[a-z0-9_.-]{2,64}$",
                message=lazy_gettext("Use 2 to 64 lower-case letters, digits, dots, dashes or underscores."),
            ),
        ],
    )
    password = PasswordField(lazy_gettext("First password"), validators=[DataRequired()])


class NewUnitForm(FlaskForm):
    code = StringField(
        lazy_gettext("Code"),
        validators=[
            DataRequired(),
            Regexp(r"^[A-Za-z0-9_.-]{2,32}$", message=lazy_gettext("Use 2 to 32 letters, digits, dots or dashes.")),
        ],
    )
    name = StringField(lazy_gettext("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(
        lazy_gettext("Kind"), choices=[SelectChoice(code, label) for code, label in names.UNIT_KINDS.items()]
    )
