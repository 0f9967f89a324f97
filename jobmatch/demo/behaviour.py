"""The behavioural model that turns "shown" postings into applications and hires.

This is the simulator's hidden ground truth. It works on the TRUE competences
of a citizen and the TRUE requirements of a posting (``generator_truth/``),
not on what a parser reads from the CV and the posting text, so a ranker can
only approximate it from the texts — as in real life.

For every posting shown to a citizen the model computes:

``prof_fit``   share of the posting's essential professional requirements the
               citizen has (weight 0.7) plus the share of optional ones (0.3)
``pers_fit``   share of the personal competences the posting asks for that
               the citizen has
``occ_pref``   1.0 same occupation as the citizen's main occupation, 0.6 same
               ISCO minor group (3 digits), 0.35 same sub-major group (2 digits),
               0.5 the citizen's previous occupation, else 0
``exp_years``  years of experience in that occupation (capped at 10)
``minutes``    door-to-door travel time by the citizen's own transport mode
``hours_fit``  1 when full/part time matches what the citizen wants, else 0
``edu_gap``    how many education levels the citizen lacks (0 when enough)
``lang_ok``    0 when a Danish-language posting needs good Danish and the
               citizen has only beginner Danish

Citizen side (does the citizen apply?)::

    u_apply = 2.4 prof_fit + 0.9 pers_fit + 1.6 occ_pref + 0.5 hours_fit
              - aversion[mode] * minutes - 0.35 edu_gap + noise,   noise ~ Logistic(0, 0.6)
    P(apply) = sigmoid(u_apply - 2.6)

Employer side (interview given application, hire given interview)::

    P(interview) = sigmoid(2.8 prof_fit + 1.0 pers_fit + 0.08 exp_years
                           - 0.6 edu_gap - 1.2 (1 - lang_ok) - 2.2)
    P(hired)     = sigmoid(1.6 prof_fit + 1.2 pers_fit + 0.05 exp_years - 1.4)

Commute aversion per minute: walk 0.07, bike 0.06, ebike 0.05, public 0.045,
car 0.04 — people on foot or bike mind each minute more.

Protected attributes (gender, age band, origin) do NOT enter these formulas.
They shape the simulated careers (which occupations, how much experience,
which languages) as in the real labour market, and are kept in the separate
``citizen_audit`` table for fairness reports.
"""

from __future__ import annotations

import numpy as np

COMMUTE_AVERSION = {"walk": 0.07, "bike": 0.06, "ebike": 0.05, "public": 0.045, "car": 0.04}


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def apply_utility(prof_fit, pers_fit, occ_pref, hours_fit, minutes, edu_gap, mode: str, rng) -> np.ndarray:
    noise = rng.logistic(0.0, 0.6, size=np.shape(prof_fit))
    return (2.4 * prof_fit + 0.9 * pers_fit + 1.6 * occ_pref + 0.5 * hours_fit
            - COMMUTE_AVERSION[mode] * minutes - 0.35 * edu_gap + noise)


def p_apply(utility: np.ndarray) -> np.ndarray:
    return sigmoid(utility - 2.6)


def p_interview(prof_fit, pers_fit, exp_years, edu_gap, lang_ok) -> np.ndarray:
    return sigmoid(2.8 * prof_fit + 1.0 * pers_fit + 0.08 * exp_years - 0.6 * edu_gap
                   - 1.2 * (1 - lang_ok) - 2.2)


def p_hired(prof_fit, pers_fit, exp_years) -> np.ndarray:
    return sigmoid(1.6 * prof_fit + 1.2 * pers_fit + 0.05 * exp_years - 1.4)
