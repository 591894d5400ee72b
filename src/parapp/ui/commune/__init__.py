"""The commune's own screens (new ones; the older ones are still in ``parapp.ui``)."""
