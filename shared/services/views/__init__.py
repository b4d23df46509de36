"""Operator views: read-only answers to the questions the team asks every day.

One module per question (today, graded, picks, health, player, sharpness, performance, completeness, models).
The CLI (``courtside/commands/views.py``) and the dashboard (``courtside/dashboard``) call these same
services; every query is a file under ``shared/sql/views`` run through the warehouse port.
"""
