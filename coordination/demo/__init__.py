"""The demo world, seeded in one place for every app: `manage.py seed_demo`."""
