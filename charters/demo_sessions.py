"""Demo step after the meetings' demo: council-session duties get their tasks once the sessions exist."""

from .demo import seed_session_tasks as seed

__all__ = ["seed"]
