"""Forms of the monitoring pages: the leaderboard's period and the year of
an evaluation export."""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import selectors
from .services import FIRST_EVALUATION_YEAR

# A custom leaderboard period may span at most this many days.
MAX_PERIOD_DAYS = 3 * 366


class PeriodChoice:
    THIS_MONTH = "bulan-ini"
    LAST_MONTH = "bulan-lalu"
    THIS_QUARTER = "triwulan-ini"
    THIS_YEAR = "tahun-ini"
    LAST_YEAR = "tahun-lalu"
    TWELVE_MONTHS = "12-bulan"
    CUSTOM = "tanggal"

    choices = [
        (THIS_MONTH, _("Bulan ini")),
        (LAST_MONTH, _("Bulan lalu")),
        (THIS_QUARTER, _("Triwulan ini")),
        (THIS_YEAR, _("Tahun ini")),
        (LAST_YEAR, _("Tahun lalu")),
        (TWELVE_MONTHS, _("12 bulan terakhir")),
        (CUSTOM, _("Pilih tanggal")),
    ]


class PeriodForm(forms.Form):
    periode = forms.ChoiceField(label=_("Periode"), choices=PeriodChoice.choices, required=False)
    dari = forms.DateField(
        label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sampai = forms.DateField(
        label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, tz: zoneinfo.ZoneInfo, now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = tz
        self.today = timezone.localtime(now or timezone.now(), tz).date()

    def clean(self):
        data = super().clean()
        choice = data.get("periode") or PeriodChoice.THIS_MONTH
        data["periode"] = choice
        if choice == PeriodChoice.CUSTOM:
            first, last = data.get("dari"), data.get("sampai")
            if not first or not last:
                raise forms.ValidationError(_("Isi tanggal awal dan tanggal akhir periode."))
            if first > last:
                raise forms.ValidationError(_("Tanggal awal harus sebelum atau sama dengan tanggal akhir."))
            if (last - first).days >= MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Periode paling panjang tiga tahun."))
        return data

    def period(self) -> selectors.Period:
        """The chosen period (this month when the form is not valid)."""
        today = self.today
        choice = self.cleaned_data.get("periode") if self.is_valid() else PeriodChoice.THIS_MONTH
        if choice == PeriodChoice.CUSTOM:
            return selectors.Period(self.cleaned_data["dari"], self.cleaned_data["sampai"], self.tz)
        if choice == PeriodChoice.LAST_MONTH:
            last = today.replace(day=1) - timedelta(days=1)
            return selectors.month_period(last.year, last.month, self.tz)
        if choice == PeriodChoice.THIS_QUARTER:
            first_month = 3 * ((today.month - 1) // 3) + 1
            end = selectors.month_period(today.year, first_month + 2, self.tz).last_day
            return selectors.Period(date(today.year, first_month, 1), end, self.tz)
        if choice == PeriodChoice.THIS_YEAR:
            return selectors.calendar_year(today.year, self.tz)
        if choice == PeriodChoice.LAST_YEAR:
            return selectors.calendar_year(today.year - 1, self.tz)
        if choice == PeriodChoice.TWELVE_MONTHS:
            return selectors.last_twelve_months(
                self.tz, datetime.combine(today, datetime.min.time(), self.tz)
            )
        return selectors.month_period(today.year, today.month, self.tz)


class ExportForm(forms.Form):
    tahun = forms.TypedChoiceField(label=_("Tahun"), coerce=int)

    def __init__(self, *args, tz: zoneinfo.ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localtime(timezone.now(), tz).year
        years = range(this_year, max(FIRST_EVALUATION_YEAR, this_year - 10) - 1, -1)
        self.fields["tahun"].choices = [(y, str(y)) for y in years]
        # The yearly evaluation is usually of the year just ended.
        self.fields["tahun"].initial = this_year - 1 if this_year > FIRST_EVALUATION_YEAR else this_year
        self.fields["tahun"].error_messages["invalid_choice"] = _("Pilih tahun dari daftar.")
