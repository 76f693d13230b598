"""Other areas (board, help requests, projects) add their demo data here.

Each hook is called with the demo event, its organizer, the organisations by name, the
skills by slug and the expert users; each must be idempotent.
"""

from .demo_board import seed_board
from .demo_help import seed_help_requests


def _projects(**kwargs) -> None:
    from projets.demo import seed_projects

    seed_projects(**kwargs)


# Help requests before projects: a demo project may name a request as its source.
HOOKS: list = [seed_board, seed_help_requests, _projects]
