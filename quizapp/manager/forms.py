"""The dashboard's filter: a GET form (nothing changes, so no CSRF token), dates only."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional


class DashboardFilterForm(FlaskForm):
    class Meta:
        csrf = False

    bank = StringField("Bank", validators=[Optional(), Length(max=100)])
    start = DateField(
        "From", validators=[Optional()], format="%Y-%m-%d", render_kw={"maxlength": 10}
    )
    end = DateField("To", validators=[Optional()], format="%Y-%m-%d", render_kw={"maxlength": 10})

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for field in (self.start, self.end):
            if field.errors:
                field.errors = ["Enter a date as YYYY-MM-DD, e.g. 2026-12-03."]
        if ok and self.start.data and self.end.data and self.start.data > self.end.data:
            self.end.errors = ["The end date is before the start date: choose a later end."]
            return False
        return ok
