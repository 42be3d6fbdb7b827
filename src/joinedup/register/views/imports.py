from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError("being built in this session")


organisation_import = login_required(_todo)
