from ateliers.permissions import is_organizer


def site(request):
    user = getattr(request, "user", None)
    return {"is_organizer": is_organizer(user)}
