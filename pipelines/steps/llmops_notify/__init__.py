"""The exit handler's report of how a run ended (``report``)."""
