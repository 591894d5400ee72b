"""Widgets of a commune's own work (its report, its submission)."""
