"""What operators see: the access log with request ids, the logging set-up, and Prometheus metrics.

Holds the typed facts about a request that the endpoint fills in and the log and metrics read.
May import `store` (the loaded store's size and version); never the endpoint, the pages, the
schema, the app or the command line.
"""
