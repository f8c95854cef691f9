"""The vocabulary of Amity: event models, partial dates, place references and sources."""
