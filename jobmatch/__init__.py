"""jobmatch — decision support for Danish job centres.

Matches a citizen's CV (professional and personal competences) with current
job postings in commuting range, explains each suggestion in plain Danish and
proposes alternative jobs in other fields. The consultant decides; the tool
only informs.
"""

__version__ = "0.1.0"
