"""What ``projets`` tells the apps above it (``ateliers/outbound.py``)."""

from __future__ import annotations

from ateliers.outbound import publish


def project_changed(name: str, project, **extra) -> None:
    """``project.<what>``: created, phase, update, story (``projets.services``)."""
    publish(
        f"project.{name}",
        {
            "project": project.pk,
            "title_fr": project.title_fr,
            "title_en": project.title_en,
            "phase": project.phase,
            "visibility": project.visibility,
            "event": project.event_id,
            **extra,
        },
        event_id=project.event_id,
    )
