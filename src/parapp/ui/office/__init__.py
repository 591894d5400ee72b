"""The receiving office's screens (inbox, keys, appraisal, consolidation), shown only when
the workspace's unit has child units."""
