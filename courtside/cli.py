"""The ``courtside`` operator CLI. Commands only parse arguments and call services in ``shared``.

Each area registers its commands from ``courtside/commands/<area>.py``.
"""

from __future__ import annotations

import importlib
import logging
import os

import typer

app = typer.Typer(
    help="Courtside: NBA player-points prop models, run locally or on Google Cloud.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)

COMMAND_MODULES: tuple[str, ...] = (
    "courtside.commands.pipeline",
    "courtside.commands.demo",
    "courtside.commands.simulation",
    "courtside.commands.data",
    "courtside.commands.models",
    "courtside.commands.promotion",
    "courtside.commands.postgame",
    "courtside.commands.experiments",
    "courtside.commands.backfill",
    "courtside.commands.cost",
    "courtside.commands.recovery",
    "courtside.commands.views",
)


def _register_all() -> None:
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(app)


def main() -> None:
    logging.basicConfig(
        level=os.environ.get("COURTSIDE_LOG_LEVEL", "WARNING"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    _register_all()
    app()
