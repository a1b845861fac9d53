"""Subcommands of the ``textmine`` CLI, one module each (see ``textmine.cli``)."""
