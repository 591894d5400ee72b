"""The commune side: the self-assessment, its evidence, its submission upward, and what the
office above sends back. Never imports :mod:`parapp.services.office`."""
