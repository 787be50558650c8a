"""MaintDesk core: records, rules, letters and delivery, without any GUI."""

__version__ = "0.1.0"
