"""The versioned read API (/api/v1/) for other government systems: an aggregator reading the apps' selectors."""
