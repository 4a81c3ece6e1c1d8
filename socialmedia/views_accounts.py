"""Pages for the units' social-media accounts. Tokens are accepted here and
never shown again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import policy, services
from .forms import AccountForm
from .models import AccountStatus, SocialAccount
from .workflow import ACCOUNT_TRANSITIONS


@login_required
def account_list(request):
    accounts = (
        policy.visible_accounts(request.user)
        .select_related("unit")
        .order_by("unit__path", "platform", "display_name")
    )
    if not policy.viewer_units(request.user).exists():
        raise PermissionDenied
    manager_paths = [u.path for u in policy.manager_units(request.user).only("path")]
    rows = [(account, any(account.unit.path.startswith(p) for p in manager_paths)) for account in accounts]
    return render(
        request,
        "socialmedia/account_list.html",
        {"rows": rows, "can_add": bool(manager_paths), "AccountStatus": AccountStatus},
    )


def _save(request, form: AccountForm, account: SocialAccount | None):
    data = form.cleaned_data
    try:
        return services.account_save(
            actor=request.user,
            account=account,
            unit=data["unit"],
            platform=data["platform"],
            account_id=data["account_id"],
            display_name=data["display_name"],
            handle=data["handle"],
            access_token=data["access_token"],
            refresh_token=data["refresh_token"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


@login_required
def account_create(request):
    units = policy.manager_units(request.user).order_by("path")
    if not units.exists():
        raise PermissionDenied
    form = AccountForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        account = _save(request, form, None)
        if account is not None:
            messages.success(
                request,
                _("Akun %(account)s tersimpan. Uji koneksinya untuk memastikan token berlaku.")
                % {"account": account},
            )
            return redirect(account)
    return render(request, "socialmedia/account_form.html", {"form": form, "account": None})


def _account_or_404(user, pk: int) -> SocialAccount:
    account = get_object_or_404(SocialAccount.objects.select_related("unit"), pk=pk)
    if not policy.can_view_account(user, account):
        raise Http404
    return account


@login_required
def account_edit(request, pk: int):
    account = _account_or_404(request.user, pk)
    if not policy.can_manage_account(request.user, account):
        raise PermissionDenied
    units = policy.manager_units(request.user).order_by("path")
    initial = {
        "unit": account.unit,
        "platform": account.platform,
        "account_id": account.account_id,
        "display_name": account.display_name,
        "handle": account.handle,
    }
    form = AccountForm(request.POST or None, units=units, account=account, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, account)
        if saved is not None:
            messages.success(request, _("Perubahan akun tersimpan."))
            return redirect(saved)
    return render(request, "socialmedia/account_form.html", {"form": form, "account": account})


@login_required
@require_POST
def account_test(request, pk: int):
    """Ask the platform who the token belongs to; show the real name or the
    platform's own error."""
    account = _account_or_404(request.user, pk)
    if not policy.can_manage_account(request.user, account):
        raise PermissionDenied
    check = services.account_test_connection(account=account, actor=request.user)
    if check.ok:
        messages.success(request, _("Koneksi berhasil: akun “%(name)s”.") % {"name": check.name})
    else:
        messages.error(request, _("Koneksi gagal: %(message)s") % {"message": check.message})
    return redirect(account)


@login_required
@require_POST
def account_toggle(request, pk: int):
    account = _account_or_404(request.user, pk)
    if not policy.can_manage_account(request.user, account):
        raise PermissionDenied
    disable = ACCOUNT_TRANSITIONS.allows(account.status, "account_disabled")
    try:
        account = services.account_set_disabled(account=account, actor=request.user, disabled=disable)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Akun %(account)s kini “%(status)s”.")
            % {"account": account, "status": account.get_status_display()},
        )
    return redirect(account)
