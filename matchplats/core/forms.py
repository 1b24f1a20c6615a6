from django.core.exceptions import ValidationError


def apply_validation_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form it came from (field errors where named)."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def query_without_page(request, page_param: str = "sida") -> str:
    """The current filter query string without the page number, for pagination and export links."""
    params = request.GET.copy()
    params.pop(page_param, None)
    return params.urlencode()
