"""The request every view of the application receives: LoginRequiredMiddleware lets only a
logged-in user through (except the pages marked @login_not_required), so ``request.user`` is
a ``User``, which is what the services take as their actor."""

from __future__ import annotations

from django.http import HttpRequest

from accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User  # narrower than HttpRequest's User | AnonymousUser
