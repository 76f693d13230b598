from ateliers.permissions import is_organizer


def site(request):
    user = getattr(request, "user", None)
    params = request.GET.copy()
    params.pop("lang", None)
    query = params.urlencode()
    return {
        "is_organizer": is_organizer(user),
        # Where the FR/EN switch returns to: this page, minus a `?lang=` that would win.
        "path_without_lang": request.path + (f"?{query}" if query else ""),
    }
