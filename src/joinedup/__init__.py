"""JoinedUp: partnership working in health and social care."""

__version__ = "0.1.0"
