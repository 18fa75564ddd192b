"""The leaders' dashboard: an aggregator above the apps, reading them through their selectors."""
