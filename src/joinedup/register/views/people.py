from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


def _todo(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError("being built in this session")


person_list = person_create = person_detail = person_edit = login_required(_todo)
