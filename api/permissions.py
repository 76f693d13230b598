"""Permission classes: thin wrappers around the domain's predicates."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from ateliers.permissions import is_account, is_organizer


class IsAccount(BasePermission):
    """A logged-in account (not a board guest)."""

    def has_permission(self, request, view):
        return is_account(request.user)


class IsOrganizer(BasePermission):
    def has_permission(self, request, view):
        return is_organizer(request.user)


class OrganizerWritesOthersRead(BasePermission):
    """Anyone may read what the queryset shows them; only organizers change it."""

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return is_organizer(request.user)


class AccountWritesOthersRead(BasePermission):
    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return is_account(request.user)
