"""Widgets of the commune (self-assessing unit) side of the app."""
