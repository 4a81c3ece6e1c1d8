from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from . import policy
from .auth import LockoutAuthenticationForm, clear_failures
from .models import Role
from .ratelimit import ratelimit


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Anda telah keluar."))
        return response


# Each request sends an email: a cap per address stops the form being used to
# flood someone's inbox. Unknown addresses count too, so the limit reveals
# nothing about which addresses have accounts.
@method_decorator(
    ratelimit(
        scope="password-reset",
        limit=lambda: settings.PASSWORD_RESET_PER_HOUR,
        window=3600,
    ),
    name="dispatch",
)
class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset flow; the link in the email uses the domain the request
    came to, as Django does."""

    template_name = "core/password_reset_form.html"
    email_template_name = "core/email/password_reset.txt"
    subject_template_name = "core/email/password_reset_subject.txt"
    success_url = reverse_lazy("core:password_reset_done")

    @property
    def extra_email_context(self):
        return {"SITE_NAME": settings.SITE_NAME}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "core/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "core/password_reset_confirm.html"
    success_url = reverse_lazy("core:password_reset_complete")

    def form_valid(self, form):
        # The owner proved they hold the account's e-mail: the lockout of
        # their username ends at every address.
        clear_failures(form.user.get_username(), everywhere=True)
        return super().form_valid(form)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "core/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/password_change.html"
    success_url = reverse_lazy("core:dashboard")

    def form_valid(self, form):
        messages.success(self.request, _("Kata sandi berhasil diubah."))
        return super().form_valid(form)


@login_required
def dashboard(request):
    """The staff home: what the user's roles let them reach."""
    roles = policy.roles_of(request.user)
    assignments = request.user.role_assignments.select_related("unit").order_by("unit__path", "role")
    # Each app that has something for staff names a card template in its
    # AppConfig (``dashboard_card``); the card decides what the user may see.
    cards = [
        config.dashboard_card for config in apps.get_app_configs() if getattr(config, "dashboard_card", None)
    ]
    return render(
        request,
        "core/dashboard.html",
        {"roles": roles, "Role": Role, "assignments": assignments, "cards": cards},
    )


def switch_language(request, language):
    """Switch the interface language with a plain link.

    Django's ``set_language`` needs a POST with a CSRF token, which would put a
    CSRF cookie on every public page and stop proxies from caching them; a
    language choice is harmless to forge, so a GET link is enough here.
    """
    next_url = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
            samesite="Lax",
            secure=not settings.DEBUG,
        )
    return response


# --- Error pages ------------------------------------------------------------------
# Django's own 400, 403 and 404 views render templates/<code>.html with the
# request, so those pages carry the header. These two it renders without one.


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check: the portal's page with the header,
    saying what to do, rather than Django's technical one."""
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    """The 500 page, rendered without the database (the session and the
    signed-in user live there, and the database may be what failed): no
    context processors, only the site's name."""
    body = loader.get_template("500.html").render({"SITE_NAME": settings.SITE_NAME})
    return HttpResponseServerError(body)
