"""Other areas (board, help requests, projects) add their demo data here.

Each hook is called with the demo event, its organizer, the organisations by name, the
skills by slug and the expert users; each must be idempotent.
"""

from .demo_board import seed_board


def _projects(**kwargs) -> None:
    from projets.demo import seed_projects

    seed_projects(**kwargs)


HOOKS: list = [seed_board, _projects]
