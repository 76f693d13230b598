"""Other areas (board, help requests, projects, schedule) add their demo data here.

Each hook is called with the demo event, its organizer, the organisations by name, the
skills by slug and the expert users; each must be idempotent.
"""

from .demo_board import seed_board
from .demo_help import seed_help_requests


def _projects(**kwargs) -> None:
    from projets.demo import seed_projects

    seed_projects(**kwargs)


def _schedule(**kwargs) -> None:
    from .schedule.demo import seed_schedule

    seed_schedule(**kwargs)


# Help requests first: projects may name them as sources and the schedule reads their
# skills as the organisations' needs.
HOOKS: list = [seed_board, seed_help_requests, _projects, _schedule]
