"""The receiving office: received bundles, appraisal, consolidation, results sent down."""
