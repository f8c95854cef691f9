"""The `amity` command line."""
