"""Other areas (board, help requests, projects) add their demo data here.

Each hook is called with the demo event, its organizer, the organisations by name, the
skills by slug and the expert users; each must be idempotent.
"""

HOOKS: list = []

from .demo_help import seed_help_requests  # noqa: E402 - help requests (issue 5)

HOOKS.append(seed_help_requests)
