"""monitor: a claim-tracking monitor with commitment alerts."""

__version__ = "0.1.0"
