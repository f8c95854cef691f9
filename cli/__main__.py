"""``python -m amity.cli``: the `amity` command."""

from amity.cli.main import run

if __name__ == "__main__":
    run()
