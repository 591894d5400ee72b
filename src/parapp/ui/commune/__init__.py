"""The commune side of the desktop app: filling, reviewing and submitting the self-assessment."""
