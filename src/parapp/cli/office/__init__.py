"""The receiving office's commands: inbox, appraisal, consolidation, trusted keys, the
appraisal result it sends back and the office bundle it sends upward."""
