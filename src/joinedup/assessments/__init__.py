"""Assessments: multi-respondent partnership self-assessments (instruments, waves, scoring).

Kept import-light: the scoring lives in joinedup.analysis and is imported only where it is used.
"""
