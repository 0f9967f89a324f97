"""The demo world: a simulated Danish labour market for demos, tests and training.

Everything here is SIMULATED and says so: invented employers and people,
postings and CVs written from templates over the taxonomy, and an interaction
log drawn from a documented behavioural model (see :mod:`jobmatch.demo.behaviour`).
It lets the project be developed and shown without personal data; it is no
evidence of how real citizens or employers behave.
"""
