"""Receiving office: trusted keys, inbox, appraisal, consolidation, reports, upward bundle."""
