"""``python -m amity.cli``: the `amity` command."""

from amity.cli.main import run

run()
