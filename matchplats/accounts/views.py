"""A person's own data: the page, the JSON download and deleting the account (thin: the work is in
matchplats/accounts/services.py)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from matchplats.accounts import services
from matchplats.accounts.forms import AccountDeleteForm


@login_required
@never_cache
@require_safe
def personal_data(request):
    return render(request, "account/personal_data.html", {"form": AccountDeleteForm()})


@login_required
@never_cache
@require_POST
def personal_data_download(request):
    """POST, because the download is written to the audit log."""
    data = services.person_data_export(user=request.user, request=request)
    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="matchplats-mina-uppgifter-{timezone.localdate()}.json"'
    response.audited = True
    return response


@login_required
@never_cache
@require_POST
def account_delete(request):
    form = AccountDeleteForm(request.POST)
    if form.is_valid():
        try:
            services.person_delete(user=request.user, password=form.cleaned_data["password"], request=request)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                form.add_error(None, error)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted."))
            return redirect("home")
    return render(request, "account/personal_data.html", {"form": form}, status=400)
