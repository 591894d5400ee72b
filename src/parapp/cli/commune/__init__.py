"""The commune's commands: self-assessment, evidence, its signing key, the bundle it submits,
and the appraisal result it receives back."""
