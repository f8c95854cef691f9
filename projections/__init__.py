"""The read side: status, history, audit and anniversaries, each derived from the events."""
