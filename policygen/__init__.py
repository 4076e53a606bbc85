"""policygen: compile one organization file into every policy an ML platform on AWS needs."""

__version__ = "0.1.0"
