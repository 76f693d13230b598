from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth import views as auth_views
from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from api.throttles import SignupAddressThrottle, page_allowed, page_login_allowed
from ateliers.services import accounts

from ..errors import save_posted
from ..forms.accounts import SignupForm


def _refuse(form, *, field=None) -> None:
    """Turn ``form`` into one that shows the throttle's message and checks nothing."""
    form._errors, form.cleaned_data = ErrorDict(), {}  # no authentication attempt
    form.add_error(field, _("Too many attempts. Wait a minute and try again."))


class LoginView(auth_views.LoginView):
    template_name = "frontend/accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if not page_login_allowed(request):
            form = self.get_form()
            _refuse(form)
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)


def admin_login(request, extra_context=None):
    """The admin's login, counted with the other logins (the admin is no way around them)."""
    if request.method == "POST" and not page_login_allowed(request):
        form = AdminAuthenticationForm(request, data=request.POST)
        _refuse(form)
        context = {
            **admin.site.each_context(request),
            "title": _("Log in"),
            "app_path": request.get_full_path(),
            "form": form,
            REDIRECT_FIELD_NAME: request.POST.get(REDIRECT_FIELD_NAME) or reverse("admin:index"),
        }
        return TemplateResponse(request, "admin/login.html", context, status=429)
    return admin.site.login(request, extra_context)


def signup(request):
    if request.user.is_authenticated:
        return redirect("frontend:home")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not page_allowed(request, [SignupAddressThrottle]):
        _refuse(form, field=None)
        return render(request, "frontend/accounts/signup.html", {"form": form}, status=429)
    posted = save_posted(
        request,
        form,
        lambda: accounts.user_register(language=request.LANGUAGE_CODE, **form.cleaned_data),
        domain_field="username",
    )
    if posted:
        login(request, posted.value, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("frontend:my-profile")
    return render(request, "frontend/accounts/signup.html", {"form": form})
