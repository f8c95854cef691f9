"""The write side: the application, the partnership aggregate, the lifecycle rules and the stores."""
